import { describe, expect, it } from 'vitest';
import { emphasis, p, pause, type Ssml, s, sayAs, speak, text, trustedSsml } from './builder';
import { SsmlValidationError, validateSsml } from './validator';

describe('builder', () => {
  it('builds valid SSML', () => {
    const doc = speak(
      p(s(text('Today only:'), pause(300)), s(emphasis(text('Fish & Chips'), 'strong'))),
      sayAs('cardinal', 3),
      sayAs('date', '20261127', 'ymd'),
    );
    expect(doc).toBe(
      '<speak><p><s>Today only:<break time="300ms"/></s><s><emphasis level="strong">Fish &amp; Chips</emphasis></s></p><say-as interpret-as="cardinal">3</say-as><say-as interpret-as="date" format="ymd">20261127</say-as></speak>',
    );
    expect(validateSsml(doc)).toEqual({ ok: true });
  });

  it('rejects out-of-range pauses and unknown say-as formats', () => {
    expect(() => pause(10_001)).toThrow(RangeError);
    expect(() => pause(-1)).toThrow(RangeError);
    expect(() => sayAs('date', '1', 'yyyy')).toThrow(RangeError);
  });

  it('keeps raw strings out at compile time', () => {
    // @ts-expect-error a plain string is not Ssml
    const bad: Ssml = '<audio src="https://x"/>';
    expect(typeof bad).toBe('string');
  });

  it('trustedSsml validates before branding', () => {
    expect(trustedSsml('Try <emphasis>this</emphasis>.')).toBe('Try <emphasis>this</emphasis>.');
    expect(() => trustedSsml('<script>x</script>')).toThrow(SsmlValidationError);
  });
});
