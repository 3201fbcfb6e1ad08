import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emphasis,
  p,
  SAY_AS_INTERPRETATIONS,
  SUPPORTED_SSML_TAGS,
  s,
  sayAs,
  speak,
  text,
  tokenizeSsml,
  validateSsml,
} from '.';

/**
 * Hostile text against the SSML renderer and validator. Text built from markup pieces (closing tags,
 * attributes, entities, CDATA, comments) is what a catalog or a merchant can type; it must come out
 * spoken, never as markup, and the validator must only ever accept well-formed Alexa SSML.
 */
const MARKUP = [
  '<',
  '>',
  '</speak>',
  '<speak>',
  '<audio src="https://evil.example/x.mp3"/>',
  '<break time="10s"/>',
  '"',
  "'",
  '&',
  '&amp;',
  '&lt;',
  '&#0;',
  '&#x1F600;',
  '&nbsp;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<p>',
  '</p>',
  '<s>',
  '<emphasis level="strong">',
  '</emphasis>',
  '<say-as interpret-as="digits">',
  '/>',
  '=',
  ' ',
  'a',
  '\u0000',
  '\u0085',
  '\uD800',
  '\uFFFE',
  '😀',
  '\n',
];
const hostileText = fc.oneof(
  fc.array(fc.constantFrom(...MARKUP), { maxLength: 12 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function tagNames(ssml: string): string[] {
  return tokenizeSsml(ssml)
    .tokens.filter((t) => t.kind !== 'text')
    .map((t) => (t.kind === 'close' ? `/${t.name}` : t.kind === 'open' ? t.name : ''));
}

describe('the SSML renderer under hostile text', () => {
  it('any text is spoken, never parsed: the only tags are the ones the builder wrote', () => {
    fc.assert(
      fc.property(hostileText, hostileText, fc.constantFrom(...SAY_AS_INTERPRETATIONS), (a, b, how) => {
        const out = speak(p(s(text(a)), s(emphasis(text(b), 'strong'))), sayAs(how, a));
        expect(validateSsml(out)).toEqual({ ok: true });
        expect(tagNames(out)).toEqual([
          'speak',
          'p',
          's',
          '/s',
          's',
          'emphasis',
          '/emphasis',
          '/s',
          '/p',
          'say-as',
          '/say-as',
          '/speak',
        ]);
        // Nothing that reads as markup survives in the text: every '<' and '&' went through escaping.
        for (const t of tokenizeSsml(out).tokens) {
          if (t.kind === 'text') expect(t.raw).not.toMatch(/<|&(?!(amp|lt|gt|quot|apos);)/);
        }
      }),
      { seed: 5101, numRuns: 500 },
    );
  });
});

describe('the SSML validator under hostile documents', () => {
  /** Fragments of real and broken markup, so some documents are valid and most are nearly so. */
  const piece = fc.oneof(
    fc.constantFrom(...MARKUP),
    fc.constantFrom(...SUPPORTED_SSML_TAGS).map((t) => `<${t}>`),
    fc.constantFrom(...SUPPORTED_SSML_TAGS).map((t) => `</${t}>`),
    fc.constantFrom('<script>', '</script>', '<foo:bar/>', '<speak/>', '<p/>', '<break/>'),
    fc.string({ maxLength: 8 }),
  );
  const documents = fc.oneof(
    fc.array(piece, { maxLength: 15 }).map((xs) => xs.join('')),
    fc.array(piece, { maxLength: 15 }).map((xs) => `<speak>${xs.join('')}</speak>`),
  );

  it('never throws; what it accepts is balanced, uses only Alexa tags, and has no raw markup in text', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        documents,
        fc.constantFrom('document' as const, 'fragment' as const, 'auto' as const),
        (doc, mode) => {
          const result = validateSsml(doc, { mode });
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            return;
          }
          accepted++;
          const { tokens, errors } = tokenizeSsml(doc);
          expect(errors).toEqual([]);
          const stack: string[] = [];
          for (const t of tokens) {
            if (t.kind === 'text') {
              // '>' alone is legal XML text; '<', a bare '&' and ']]>' are not.
              expect(t.raw).not.toMatch(/<|\]\]>|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
              continue;
            }
            expect(SUPPORTED_SSML_TAGS as readonly string[]).toContain(t.name);
            if (t.kind === 'open' && !t.selfClosing) stack.push(t.name);
            if (t.kind === 'close') expect(stack.pop()).toBe(t.name);
          }
          expect(stack).toEqual([]);
        },
      ),
      { seed: 5102, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
