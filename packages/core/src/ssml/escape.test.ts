import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { speak, text } from './builder';
import { escapeSsmlText } from './escape';
import { ssmlToPlainText } from './plain-text';
import { tokenizeSsml } from './tokenizer';
import { validateSsml } from './validator';

describe('escapeSsmlText', () => {
  it('escapes markup in a product name so it is spoken, not parsed', () => {
    const name = 'Fish & Chips <audio src="https://x">';
    const escaped = escapeSsmlText(name);
    expect(escaped).toBe('Fish &amp; Chips &lt;audio src=&quot;https://x&quot;&gt;');
    const doc = speak(text(name));
    expect(validateSsml(doc)).toEqual({ ok: true });
    const tags = tokenizeSsml(doc).tokens.filter((t) => t.kind === 'open');
    expect(tags.map((t) => (t.kind === 'open' ? t.name : ''))).toEqual(['speak']);
    expect(ssmlToPlainText(doc)).toBe(name);
  });

  it('escapes quotes and apostrophes and strips control characters and lone surrogates', () => {
    expect(escapeSsmlText(`Joe's "best"\u0000\u0007\u001B\u0085\uD800 tea\u000Anow`)).toBe(
      'Joe&apos;s &quot;best&quot; tea\nnow',
    );
    // paired surrogates (emoji) are legal XML and survive
    expect(escapeSsmlText('tea 🍵')).toBe('tea 🍵');
  });

  it('any string becomes a valid fragment that round-trips to its speakable text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const doc = speak(text(value));
        expect(validateSsml(doc)).toEqual({ ok: true });
        const opens = tokenizeSsml(doc).tokens.filter((t) => t.kind === 'open');
        expect(opens).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});
