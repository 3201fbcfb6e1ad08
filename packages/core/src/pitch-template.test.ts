import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareAtDiscount,
  PITCH_MAX_CHARS,
  PITCH_TEXT_MAX_CHARS,
  PitchTemplateError,
  type PitchValues,
  pitchPlaceholdersOf,
  renderPitch,
  validatePitchTemplate,
} from './pitch-template';
import { speak, tokenizeSsml, validateSsml } from './ssml';

const openTags = (ssml: string) =>
  tokenizeSsml(ssml).tokens.flatMap((t) =>
    t.kind === 'open' ? [`${t.name}:${JSON.stringify(t.attributes.map((a) => [a.name, a.value]))}`] : [],
  );

const values: PitchValues = {
  product: 'Fish & Chips <audio src="https://x">',
  price: { amount: 1999, currency: 'USD' },
  discount: { percent: 20 },
  category: 'Seafood',
  merchant: "Northwind's",
};

describe('renderPitch', () => {
  it('substitutes escaped values and formats money and percent per locale', () => {
    const t =
      '<emphasis level="moderate">{{product}}</emphasis> from {{ merchant }} is {{price}}, {{discount}} off.';
    expect(renderPitch(t, values, { locale: 'en-US' })).toBe(
      '<emphasis level="moderate">Fish &amp; Chips &lt;audio src=&quot;https://x&quot;&gt;</emphasis> from Northwind&apos;s is $19.99, 20% off.',
    );
    const de = renderPitch(
      '{{price}} / {{discount}}',
      { ...values, price: { amount: 1999, currency: 'EUR' } },
      {
        locale: 'de-DE',
      },
    );
    expect(de).toBe('19,99\u00a0€ / 20\u00a0%');
    expect(
      renderPitch(
        '{{discount}}',
        { ...values, discount: { amount: 500, currency: 'GBP' } },
        { locale: 'en-GB' },
      ),
    ).toBe('£5.00');
    expect(
      renderPitch('{{price}}', { ...values, price: { amount: 500, currency: 'JPY' } }, { locale: 'ja-JP' }),
    ).toMatch(/500/);
  });

  it('truncates very long catalog text at a word boundary', () => {
    const long = `${'word '.repeat(100)}end`;
    const out = renderPitch('{{product}}', { ...values, product: long }, { locale: 'en-US' });
    expect(out.length).toBeLessThanOrEqual(PITCH_TEXT_MAX_CHARS.product);
    expect(out.endsWith('word')).toBe(true);
  });

  it('throws on invalid templates and missing values', () => {
    expect(() => renderPitch('<b>{{product}}</b>', values, { locale: 'en-US' })).toThrow(PitchTemplateError);
    expect(() =>
      renderPitch('{{discount}}', { ...values, discount: undefined }, { locale: 'en-US' }),
    ).toThrow(/needs a discount/);
    expect(() =>
      renderPitch('{{category}}', { ...values, category: undefined }, { locale: 'en-US' }),
    ).toThrow(/needs a category/);
    expect(() =>
      renderPitch('{{discount}}', { ...values, discount: { percent: 120 } }, { locale: 'en-US' }),
    ).toThrow(/between 0 and 100/);
  });
});

describe('validatePitchTemplate', () => {
  const messages = (t: string) => {
    const r = validatePitchTemplate(t);
    return r.ok ? [] : r.errors;
  };

  it('accepts a good template and lists its placeholders', () => {
    expect(validatePitchTemplate('Try {{product}}<break time="300ms"/> for {{price}}.')).toEqual({
      ok: true,
      placeholders: ['product', 'price'],
    });
  });

  it('reports unknown placeholders with their position', () => {
    const errs = messages('Hi!\nBuy {{prodcut}} now');
    expect(errs).toEqual([
      expect.objectContaining({
        line: 2,
        column: 5,
        offset: 8,
        message: expect.stringMatching(/unknown placeholder \{\{prodcut\}\}/),
      }),
    ]);
  });

  it('reports malformed placeholders and placeholders inside tags', () => {
    expect(messages('Buy {{product} now')[0]?.message).toMatch(/malformed placeholder/);
    expect(messages('Buy {price}} now')[0]?.message).toMatch(/malformed placeholder/);
    const inTag = messages('<sub alias="{{product}}">x</sub>');
    expect(inTag[0]).toMatchObject({
      offset: 12,
      message: expect.stringMatching(/only allowed in spoken text/),
    });
  });

  it('reports invalid SSML and unsupported tags', () => {
    expect(messages('<emphasis>{{product}}')[0]?.message).toMatch(/never closed/);
    expect(messages('<speak>{{product}}</speak>')[0]?.message).toMatch(/not allowed inside a fragment/);
    expect(messages('x <script>{{product}}</script>')[0]).toMatchObject({ column: 3 });
    expect(messages('<break time="20s"/>{{product}}')).toHaveLength(1);
  });

  it('reports a worst case over the speech limit at the placeholder that crosses it', () => {
    // 7 product placeholders at 150 chars × 6 (escaping) + 7 spaces = 6307 > 6000, from a short template.
    const t = '{{product}} '.repeat(7);
    expect(t.length).toBeLessThan(100);
    const [error] = messages(t);
    expect(error?.message).toMatch(/renders to 6307 characters, over the limit of 6000/);
    // Six of them (5,400 plus spaces) fit: the seventh, at offset 72, is the one that crosses.
    expect(error).toMatchObject({ offset: 72, line: 1, column: 73 });
    expect(error?.message).toMatch(/passes the limit at \{\{product\}\}, which may say up to 900/);
    expect(validatePitchTemplate('{{product}} '.repeat(6)).ok).toBe(true);
  });

  it('reports a worst case over the limit in plain text at the first character past it', () => {
    // 900 (worst {{product}}) + 40 (worst {{price}}) on line 1, then text: the limit falls inside it.
    const head = '{{product}} {{price}}\n';
    const worstHead = 900 + 1 + 40 + 1;
    const t = `${head}${'a'.repeat(PITCH_MAX_CHARS - worstHead)}OVER${'b'.repeat(100)}`;
    const [error] = messages(t);
    expect(error?.message).toMatch(/passes the limit in the text from here on/);
    expect(t.slice(error?.offset, (error?.offset ?? 0) + 4)).toBe('OVER');
    expect(error).toMatchObject({ line: 2, column: PITCH_MAX_CHARS - worstHead + 1 });
    // Exactly at the limit is allowed.
    expect(validatePitchTemplate(`${head}${'a'.repeat(PITCH_MAX_CHARS - worstHead)}`).ok).toBe(true);
  });

  it('renders with the same limit it validates with: what saves, renders', () => {
    // The worst case exactly at the limit: six worst-case product names, and text up to the limit.
    const t = `${'{{product}}'.repeat(6)}${'x'.repeat(PITCH_MAX_CHARS - 6 * 900)}`;
    expect(validatePitchTemplate(t).ok).toBe(true);
    const out = renderPitch(t, { ...values, product: '"'.repeat(500) }, { locale: 'en-US' });
    expect(out.length).toBe(PITCH_MAX_CHARS);
    expect(validatePitchTemplate(`${t}x`).ok).toBe(false);
    expect(() => renderPitch(`${t}x`, values, { locale: 'en-US' })).toThrow(/over the limit of 6000/);
  });
});

describe('pitchPlaceholdersOf and compareAtDiscount', () => {
  it('lists the known placeholders a template names, once each', () => {
    expect(pitchPlaceholdersOf('{{ discount }} off {{product}}, {{discount}}! {{nope}}')).toEqual([
      'discount',
      'product',
    ]);
    expect(pitchPlaceholdersOf('no placeholders')).toEqual([]);
  });

  it('is the amount off the compare-at price, only when that is above the price', () => {
    const price = { amount: 1500, currency: 'USD' };
    expect(compareAtDiscount(price, 2000)).toEqual({ amount: 500, currency: 'USD' });
    expect(compareAtDiscount(price, 1500)).toBeUndefined();
    expect(compareAtDiscount(price, 900)).toBeUndefined();
    expect(compareAtDiscount(price, null)).toBeUndefined();
    expect(compareAtDiscount(price, undefined)).toBeUndefined();
  });
});

describe('renderPitch properties', () => {
  const pieces = fc.constantFrom(
    '{{product}}',
    '{{price}}',
    '{{discount}}',
    '{{category}}',
    '{{merchant}}',
    ' is only ',
    ' &amp; ',
    '<break time="250ms"/>',
    '<audio src="soundbank://soundlibrary/ui/gameshow/amzn_ui_sfx_gameshow_intro_01"/>',
  );
  const wrappers = fc.constantFrom(
    (x: string) => `<emphasis level="strong">${x}</emphasis>`,
    (x: string) => `<s>${x}</s>`,
    (x: string) => `<prosody rate="90%" pitch="+5%">${x}</prosody>`,
    (x: string) => `<amazon:emotion name="excited" intensity="low">${x}</amazon:emotion>`,
    (x: string) => x,
  );
  const template = fc
    .array(fc.tuple(fc.array(pieces, { minLength: 1, maxLength: 2 }), wrappers), {
      minLength: 1,
      maxLength: 3,
    })
    .map((parts) => parts.map(([ps, wrap]) => wrap(ps.join(''))).join(' '));
  const anyText = fc.string({ unit: 'binary', maxLength: 400 });
  const money = fc.record({
    amount: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    currency: fc.constantFrom('USD', 'EUR', 'JPY', 'GBP', 'KWD', 'INR'),
  });
  const pitchValues: fc.Arbitrary<PitchValues> = fc.record({
    product: anyText,
    price: money,
    discount: fc.oneof(fc.record({ percent: fc.double({ min: 0, max: 100, noNaN: true }) }), money),
    category: anyText,
    merchant: anyText,
  });
  const locale = fc.constantFrom('en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'hi-IN', 'ar-EG');

  it('any values → valid SSML with exactly the template’s tags, within the limit', () => {
    fc.assert(
      fc.property(template, pitchValues, locale, (t, v, loc) => {
        // At most 6 placeholders: the worst case stays within the limit, so every template renders.
        expect(validatePitchTemplate(t).ok).toBe(true);
        const out = renderPitch(t, v, { locale: loc });
        expect(validateSsml(out, { mode: 'fragment', maxChars: PITCH_MAX_CHARS })).toEqual({ ok: true });
        expect(validateSsml(speak(out))).toEqual({ ok: true });
        expect(openTags(out)).toEqual(openTags(t));
      }),
      { numRuns: 400 },
    );
  });
});
