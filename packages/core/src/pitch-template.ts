import { formatMoney, type Money } from './money';
import { escapeSsmlText, type Ssml, type SsmlError, tokenizeSsml, trustedSsml, validateSsml } from './ssml';

/**
 * A pitch template is an SSML fragment (no <speak>; the handler wraps it with the question that
 * follows) with {{placeholders}} in its spoken text, e.g.
 *   `<emphasis level="moderate">{{product}}</emphasis> is just {{price}} today.`
 * Templates are written by merchants in the dashboard, so they are validated when saved and again
 * when rendered: an invalid pitch would make Alexa reject the whole response.
 */

export const PITCH_PLACEHOLDERS = ['product', 'price', 'discount', 'category', 'merchant'] as const;
export type PitchPlaceholder = (typeof PITCH_PLACEHOLDERS)[number];

export interface PitchValues {
  /** The product's display name from the merchant's catalog (any text; escaped here). */
  product: string;
  price: Money;
  /** Percent off (0–100) or an amount off; required only by templates that say {{discount}}. */
  discount?: { percent: number } | Money;
  category?: string;
  merchant?: string;
}

/** The placeholders a template's text names (known ones only; validatePitchTemplate reports the rest). */
export function pitchPlaceholdersOf(template: string): PitchPlaceholder[] {
  const found = new Set<PitchPlaceholder>();
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if ((PITCH_PLACEHOLDERS as readonly string[]).includes(name)) found.add(name as PitchPlaceholder);
  }
  return [...found];
}

/**
 * What {{discount}} says for a catalog product: the amount off its compare-at ("was") price, when it
 * has one above the price charged; otherwise it is not on sale and has no discount to speak.
 */
export function compareAtDiscount(
  price: Money,
  compareAtAmount: number | null | undefined,
): Money | undefined {
  if (compareAtAmount === null || compareAtAmount === undefined || compareAtAmount <= price.amount) {
    return undefined;
  }
  return { amount: compareAtAmount - price.amount, currency: price.currency };
}

/**
 * Catalog text is cut to these lengths before it is spoken: a 2,000-character product title would
 * take a minute to say and could push the response past Alexa's 8,000-character limit.
 */
export const PITCH_TEXT_MAX_CHARS = { product: 150, category: 80, merchant: 80 } as const;

/**
 * The one limit on a pitch: what saving a template checks (its worst case, below) and what the skill
 * renders with, so a template that saves always fits when spoken. Alexa refuses outputSpeech over
 * 8,000 characters of SSML (SSML_MAX_CHARS) and the skill says more than the pitch in that speech: at
 * launch `<speak>Welcome to {merchant name, cut to 80 characters: up to 480 once escaped}. Today&apos;s
 * pick: {pitch} {question}</speak>`, on product details `<speak>{pitch} {question}</speak>`; at most
 * about 600 characters besides the pitch. 6,000 keeps that and some 1,400 characters spare for
 * wording the dialog may add; the skill's pitch.int.test.ts speaks a pitch of this worst case at launch
 * with the longest merchant name and checks the response went out whole.
 */
export const PITCH_MAX_CHARS = 6000;

/** A formatted price or discount is short in every locale; this bound is what the worst case assumes. */
const FORMATTED_AMOUNT_MAX_CHARS = 40;

/** Each character of escaped text can become at most 6 (&quot; / &apos;). */
const ESCAPE_GROWTH = 6;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type PitchTemplateValidation =
  | { ok: true; placeholders: PitchPlaceholder[] }
  | { ok: false; errors: SsmlError[] };

export function validatePitchTemplate(template: string): PitchTemplateValidation {
  const errors: { message: string; offset: number }[] = [];
  const used = new Set<PitchPlaceholder>();

  const ssml = validateSsml(template, { mode: 'fragment', maxChars: Number.POSITIVE_INFINITY });
  if (!ssml.ok) errors.push(...ssml.errors);

  const { tokens } = tokenizeSsml(template);
  for (const token of tokens) {
    const raw = template.slice(token.offset, token.end);
    if (token.kind !== 'text') {
      const at = raw.indexOf('{{');
      if (at >= 0) {
        errors.push({
          message: 'placeholders are only allowed in spoken text, not inside tags',
          offset: token.offset + at,
        });
      }
      continue;
    }
    for (const m of raw.matchAll(PLACEHOLDER)) {
      const name = m[1] as string;
      if ((PITCH_PLACEHOLDERS as readonly string[]).includes(name)) used.add(name as PitchPlaceholder);
      else {
        errors.push({
          message: `unknown placeholder {{${name}}}; use one of ${PITCH_PLACEHOLDERS.map((n) => `{{${n}}}`).join(', ')}`,
          offset: token.offset + (m.index ?? 0),
        });
      }
    }
    // Braces left after removing well-formed placeholders are a typo like "{{product}" or "{price}}".
    const leftover = raw.replace(PLACEHOLDER, (m) => ' '.repeat(m.length));
    const stray = leftover.search(/\{\{|\}\}/);
    if (stray >= 0) {
      errors.push({ message: 'unterminated or malformed placeholder', offset: token.offset + stray });
    }
  }

  const worst = worstCase(template);
  if (worst.over) {
    const { offset, placeholder } = worst.over;
    const where = placeholder
      ? `it passes the limit at {{${placeholder}}}, which may say up to ${worstSubstitution(placeholder)} characters`
      : 'it passes the limit in the text from here on';
    errors.push({
      message: `with the longest allowed values this pitch renders to ${worst.length} characters, over the limit of ${PITCH_MAX_CHARS}; ${where}`,
      offset,
    });
  }

  if (errors.length === 0) return { ok: true, placeholders: [...used] };
  return { ok: false, errors: withPositions(template, errors) };
}

/** The most characters one placeholder can become: catalog text escaped at worst, or an amount. */
function worstSubstitution(name: string): number {
  return name === 'product' || name === 'category' || name === 'merchant'
    ? PITCH_TEXT_MAX_CHARS[name] * ESCAPE_GROWTH
    : FORMATTED_AMOUNT_MAX_CHARS;
}

/**
 * The rendered length with the longest allowed values, and where in the template that worst case
 * first passes PITCH_MAX_CHARS: the placeholder whose value crosses it, or the first character of
 * text beyond it. That place is what a merchant must shorten (or a placeholder to drop), so the
 * error points there rather than at the start of the template.
 */
function worstCase(template: string): {
  length: number;
  over?: { offset: number; placeholder?: string };
} {
  let length = 0;
  let at = 0;
  let over: { offset: number; placeholder?: string } | undefined;
  const text = (end: number) => {
    if (!over && length + (end - at) > PITCH_MAX_CHARS) over = { offset: at + (PITCH_MAX_CHARS - length) };
    length += end - at;
  };
  for (const m of template.matchAll(PLACEHOLDER)) {
    const start = m.index ?? 0;
    text(start);
    const name = m[1] as string;
    const worst = worstSubstitution(name);
    if (!over && length + worst > PITCH_MAX_CHARS) over = { offset: start, placeholder: name };
    length += worst;
    at = start + m[0].length;
  }
  text(template.length);
  return over ? { length, over } : { length };
}

function withPositions(source: string, errors: { message: string; offset: number }[]): SsmlError[] {
  return errors
    .sort((a, b) => a.offset - b.offset)
    .map(({ message, offset }) => {
      const before = source.slice(0, offset);
      const line = before.split('\n').length;
      return { message, offset, line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
    });
}

export class PitchTemplateError extends Error {
  constructor(
    message: string,
    readonly errors: SsmlError[] = [],
  ) {
    super(message);
    this.name = 'PitchTemplateError';
  }
}

/** Cuts at a word boundary when there is one near the limit, so speech does not end mid-word. */
function truncate(value: string, max: number): string {
  const chars = [...value.trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd();
}

function formatDiscount(discount: NonNullable<PitchValues['discount']>, locale: string): string {
  if ('percent' in discount) {
    if (!Number.isFinite(discount.percent) || discount.percent < 0 || discount.percent > 100) {
      throw new PitchTemplateError(`discount percent must be between 0 and 100, got ${discount.percent}`);
    }
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
      discount.percent / 100,
    );
  }
  return formatMoney(discount, locale);
}

function substitution(name: PitchPlaceholder, values: PitchValues, locale: string): string {
  switch (name) {
    case 'product':
      return escapeSsmlText(truncate(values.product, PITCH_TEXT_MAX_CHARS.product));
    case 'price':
      return escapeSsmlText(formatMoney(values.price, locale).slice(0, FORMATTED_AMOUNT_MAX_CHARS));
    case 'discount':
      if (values.discount === undefined) throw new PitchTemplateError('this pitch needs a discount value');
      return escapeSsmlText(formatDiscount(values.discount, locale).slice(0, FORMATTED_AMOUNT_MAX_CHARS));
    case 'category':
    case 'merchant': {
      const value = values[name];
      if (value === undefined) throw new PitchTemplateError(`this pitch needs a ${name} value`);
      return escapeSsmlText(truncate(value, PITCH_TEXT_MAX_CHARS[name]));
    }
  }
}

export interface RenderPitchOptions {
  /** BCP 47 locale of the request (Alexa's request.locale), for price and percent formatting. */
  locale: string;
}

/**
 * Renders a template into an SSML fragment. Throws PitchTemplateError when the template is invalid
 * or needs a value that was not given; callers fall back to the experiment's control pitch.
 */
export function renderPitch(template: string, values: PitchValues, options: RenderPitchOptions): Ssml {
  const check = validatePitchTemplate(template);
  if (!check.ok) {
    throw new PitchTemplateError(`invalid pitch template: ${check.errors[0]?.message}`, check.errors);
  }
  // Validation guarantees placeholders occur only in text, so a plain replace cannot touch a tag.
  const rendered = template.replace(PLACEHOLDER, (_, name: string) =>
    substitution(name as PitchPlaceholder, values, options.locale),
  );
  try {
    return trustedSsml(rendered, { mode: 'fragment', maxChars: PITCH_MAX_CHARS });
  } catch (err) {
    // Unreachable if escaping and the worst-case bound are right; kept so a bug cannot reach Alexa.
    throw new PitchTemplateError(`rendered pitch is invalid: ${(err as Error).message}`);
  }
}
