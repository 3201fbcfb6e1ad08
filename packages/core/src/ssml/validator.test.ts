import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { speak, text } from './builder';
import { validateSsml } from './validator';

const errorsOf = (ssml: string, options?: Parameters<typeof validateSsml>[1]) => {
  const r = validateSsml(ssml, options);
  return r.ok ? [] : r.errors;
};

describe('validateSsml', () => {
  it('accepts the documented Alexa tags with good attributes', () => {
    const doc = `<speak>
  <amazon:domain name="conversational"><amazon:emotion name="excited" intensity="medium">Hi</amazon:emotion></amazon:domain>
  <prosody rate="90%" pitch="+10%" volume="+2dB">slower</prosody><prosody pitch="-33.3%" volume="x-loud">low</prosody>
  <phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme> <sub alias="aluminium">Al</sub>
  <lang xml:lang="fr-FR">bonjour</lang> <voice name="Kendra">hello</voice> <w role="amazon:VBD">read</w>
  <audio src="soundbank://soundlibrary/doors/doors_01"/> <mark name="m1"/> <break strength="x-strong"/>
  <break time="10s"/> <amazon:effect name="whispered">psst</amazon:effect>
  <amazon:auto-breaths frequency="low">long text</amazon:auto-breaths><amazon:breath duration="short"/>
  <say-as interpret-as="spell-out">ABC</say-as> &amp; &lt; &#233; &#x1F375; &apos;&quot;&gt;
</speak>`;
    expect(validateSsml(doc)).toEqual({ ok: true });
  });

  it('reports unsupported tags with line and column', () => {
    const errs = errorsOf('<speak>\n  Hello <b>bold</b>\n</speak>');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ line: 2, column: 9, offset: 16 });
    expect(errs[0]?.message).toMatch(/<b> is not a tag Alexa supports/);
  });

  it('reports mismatched and unclosed tags', () => {
    expect(errorsOf('<speak><p><s>hi</p></speak>').map((e) => e.message)).toEqual([
      '<s> is not closed before </p>',
    ]);
    expect(errorsOf('<speak><emphasis>hi</speak>')[0]?.message).toMatch(/<emphasis> is not closed/);
    expect(errorsOf('<speak>hi</emphasis></speak>')[0]?.message).toMatch(/unexpected <\/emphasis>/);
    expect(errorsOf('<speak>hi')[0]?.message).toBe('<speak> is never closed');
  });

  it('reports bad entity references and stray markup characters', () => {
    expect(errorsOf('<speak>Fish & Chips</speak>')[0]).toMatchObject({ column: 13, offset: 12 });
    expect(errorsOf('<speak>a&nbsp;b</speak>')[0]?.message).toMatch(/unknown entity &nbsp;/);
    expect(errorsOf('<speak>&#0;</speak>')[0]?.message).toMatch(/not a legal XML character/);
    expect(errorsOf('<speak>1 < 2</speak>')[0]?.message).toMatch(/'<' must be written &lt;/);
    expect(errorsOf('<speak>a\u0001b</speak>')[0]?.message).toMatch(/U\+0001/);
  });

  it('reports attribute syntax errors', () => {
    expect(errorsOf('<speak><break time=500ms/></speak>')[0]?.message).toMatch(/must be quoted/);
    expect(errorsOf('<speak><break time="1s"time="2s"/></speak>').map((e) => e.message)).toEqual([
      'attributes must be separated by whitespace',
      'duplicate attribute time',
    ]);
    expect(errorsOf('<speak><break time="1s/></speak>').map((e) => e.message)).toEqual([
      '<speak> is never closed',
      'unterminated <break> tag',
      'unterminated value of time',
    ]);
    expect(errorsOf('<speak><break time/></speak>')[0]?.message).toMatch(/needs a value/);
  });

  it('checks attribute values of the common tags', () => {
    const msg = (doc: string) => errorsOf(doc).map((e) => e.message);
    expect(msg('<speak><break time="11s"/></speak>')).toEqual([expect.stringMatching(/at most 10s/)]);
    expect(msg('<speak><break time="10001ms"/></speak>')).toHaveLength(1);
    expect(msg('<speak><break time="soon"/></speak>')).toHaveLength(1);
    expect(msg('<speak><say-as interpret-as="currency">5</say-as></speak>')).toHaveLength(1);
    expect(msg('<speak><say-as>5</say-as></speak>')).toEqual(['<say-as> requires attribute interpret-as']);
    expect(msg('<speak><say-as interpret-as="cardinal" format="ymd">5</say-as></speak>')).toHaveLength(1);
    expect(msg('<speak><prosody rate="10%">x</prosody></speak>')).toHaveLength(1);
    expect(msg('<speak><prosody pitch="+51%">x</prosody></speak>')).toHaveLength(1);
    expect(msg('<speak><prosody pitch="-40%">x</prosody></speak>')).toHaveLength(1);
    expect(msg('<speak><prosody volume="+6dB">x</prosody></speak>')).toHaveLength(1);
    expect(msg('<speak><prosody speed="fast">x</prosody></speak>')).toEqual([
      '<prosody> has no attribute speed',
    ]);
    expect(msg('<speak><audio src="http://x/a.mp3"/></speak>')).toHaveLength(1);
    expect(msg('<speak><emphasis level="loud">x</emphasis></speak>')).toHaveLength(1);
    expect(msg('<speak><break time="1s">x</break></speak>')).toEqual(['<break> must be empty']);
  });

  it('enforces the speak root in documents and forbids it in fragments', () => {
    expect(errorsOf('hello', { mode: 'document' }).map((e) => e.message)).toEqual([
      'text before <speak>',
      'missing <speak> root',
    ]);
    expect(errorsOf('<speak>a</speak> b')[0]?.message).toBe('text after </speak>');
    expect(errorsOf('<speak>a</speak><speak>b</speak>')[0]?.message).toMatch(/only one <speak>/);
    expect(errorsOf('<p>a</p>', { mode: 'document' })).toHaveLength(2);
    expect(validateSsml('Hello <emphasis>there</emphasis>')).toEqual({ ok: true });
    expect(errorsOf('a <speak>b</speak>')[0]?.message).toMatch(/not allowed inside a fragment/);
  });

  it('rejects comments, CDATA and declarations', () => {
    expect(errorsOf('<speak><!-- x --></speak>')).toHaveLength(1);
    expect(errorsOf('<speak><![CDATA[x]]></speak>')).toHaveLength(1);
    expect(errorsOf('<?xml version="1.0"?><speak>x</speak>', { mode: 'document' })).toHaveLength(1);
  });

  it('enforces nesting of p and s and the audio tag count', () => {
    expect(errorsOf('<speak><s><p>x</p></s></speak>')).toHaveLength(1);
    expect(errorsOf('<speak><s><s>x</s></s></speak>')).toHaveLength(1);
    const audio = '<audio src="https://a.example/x.mp3"/>';
    expect(validateSsml(`<speak>${audio.repeat(5)}</speak>`)).toEqual({ ok: true });
    expect(errorsOf(`<speak>${audio.repeat(6)}</speak>`)[0]?.message).toMatch(/6 <audio> tags/);
  });

  it('enforces the character limit and says where it is crossed', () => {
    const long = speak(text('a'.repeat(8000)));
    const errs = errorsOf(long);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ offset: 8000, line: 1, column: 8001 });
    expect(validateSsml(speak(text('a'.repeat(100))), { maxChars: 50 }).ok).toBe(false);
    expect(validateSsml(speak(text('a'.repeat(7900)))).ok).toBe(true);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<', '>', '/', '&', ';', '"', "'", '=', ' ', 'a', 's', 'p', '#', '!'),
        }),
        (src) => {
          const r = validateSsml(src);
          if (!r.ok) for (const e of r.errors) expect(e.offset).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
