import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PITCH_MAX_CHARS,
  PitchTemplateError,
  type PitchValues,
  renderPitch,
  validatePitchTemplate,
} from './pitch-template';
import { tokenizeSsml, validateSsml } from './ssml';

/**
 * Templates as a merchant might type them (typos, stray braces, markup, entities) with catalog values as
 * hostile as they come. The validator never throws; a template it accepts renders, for any values, to
 * valid SSML within the limit with exactly the template's tags; one it refuses never renders.
 */
const piece = fc.constantFrom(
  '{{product}}',
  '{{ price }}',
  '{{discount}}',
  '{{category}}',
  '{{merchant}}',
  '{{unknown}}',
  '{{product}',
  '{price}}',
  '{{',
  '}}',
  '{',
  '}',
  ' just ',
  'today',
  '&amp;',
  '&',
  '&nbsp;',
  '<',
  '>',
  '<break time="300ms"/>',
  '<break time="30s"/>',
  '<emphasis level="strong">',
  '</emphasis>',
  '<s>',
  '</s>',
  '<speak>',
  '<script>',
  '<emphasis level="{{product}}">',
  '<audio src="https://x.example/a.mp3"/>',
  '<!-- -->',
  '"',
  "'",
  '😀',
  '\u0000',
);
const template = fc.array(piece, { minLength: 1, maxLength: 10 }).map((xs) => xs.join(''));

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.constantFrom('</emphasis>', '<audio src="x"/>', '{{price}}', '&', ']]>', '"', '<speak>', 'é'), {
      maxLength: 20,
    })
    .map((xs) => xs.join('')),
);
const money = fc.record({
  amount: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'),
});
const values: fc.Arbitrary<PitchValues> = fc.record({
  product: hostileText,
  price: money,
  discount: fc.oneof(fc.record({ percent: fc.double({ min: 0, max: 100, noNaN: true }) }), money),
  category: hostileText,
  merchant: hostileText,
});
const locale = fc.constantFrom('en-US', 'de-DE', 'ja-JP', 'ar-EG', 'hi-IN');

const tags = (ssml: string) =>
  tokenizeSsml(ssml)
    .tokens.filter((t) => t.kind !== 'text')
    .map((t) => (t.kind === 'close' ? `/${t.name}` : t.kind === 'open' ? t.name : ''));

describe('pitch templates under hostile input', () => {
  it('accepted templates render any values to valid SSML with only their own tags; refused ones never render', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(template, values, locale, (t, v, loc) => {
        const check = validatePitchTemplate(t);
        if (!check.ok) {
          refused++;
          expect(check.errors.length).toBeGreaterThan(0);
          expect(() => renderPitch(t, v, { locale: loc })).toThrow(PitchTemplateError);
          return;
        }
        accepted++;
        const out = renderPitch(t, v, { locale: loc });
        expect(validateSsml(out, { mode: 'fragment', maxChars: PITCH_MAX_CHARS })).toEqual({ ok: true });
        expect(tags(out)).toEqual(tags(t));
        expect(out.length).toBeLessThanOrEqual(PITCH_MAX_CHARS);
      }),
      { seed: 5201, numRuns: 1500 },
    );
    // Both sides were exercised.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
