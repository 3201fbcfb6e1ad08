import { concat, formatMoney, type Money, PITCH_TEXT_MAX_CHARS, type Ssml, text } from '@pitchline/core';
import type { CatalogProduct } from '../catalog/types';

/** Catalog text is cut before it is spoken: a 200-character name read twenty times would not fit. */
export function clip(value: string, max: number = PITCH_TEXT_MAX_CHARS.product): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

export function productName(product: Pick<CatalogProduct, 'name'>): Ssml {
  return text(clip(product.name));
}

export function money(amount: Money, locale: string): Ssml {
  return text(formatMoney(amount, locale));
}

export function price(product: Pick<CatalogProduct, 'priceAmount' | 'currency'>, locale: string): Ssml {
  return money({ amount: product.priceAmount, currency: product.currency }, locale);
}

/** "a", "a and b", "a, b and c". */
export function spokenList(items: readonly Ssml[]): Ssml {
  if (items.length <= 1) return concat(...items);
  const head = items.slice(0, -1);
  const tail = items[items.length - 1] as Ssml;
  return concat(...head.flatMap((item, i) => (i === 0 ? [item] : [text(', '), item])), text(' and '), tail);
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** "2 Fish & Chips" reads fine; "1 Fish & Chips" too: no article guessing. */
export function quantityOf(quantity: number, product: Pick<CatalogProduct, 'name'>): Ssml {
  return concat(text(`${quantity} `), productName(product));
}

/**
 * A spoken list that stops before it outgrows its share of the 8,000-character speech limit
 * (escaping can make catalog text five times longer), ending with how many were left out.
 */
export function fitList(items: readonly Ssml[], budgetChars: number, rest: (left: number) => Ssml): Ssml {
  const kept: Ssml[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const tail = items.length - i - 1 > 0 ? rest(items.length - i - 1).length : 0;
    if (used + item.length + 2 + tail > budgetChars) {
      // "a, b, c and 7 more": the remainder takes the place of the last item.
      const head = kept.flatMap((k, j) => (j === 0 ? [k] : [text(', '), k]));
      return concat(...head, kept.length > 0 ? text(' ') : text(''), rest(items.length - kept.length));
    }
    kept.push(item);
    used += item.length + 2;
  }
  return spokenList(kept);
}

/** Each speech a handler builds from catalog text gets this much; the rest is fixed wording. */
export const LIST_BUDGET_CHARS = 5000;
