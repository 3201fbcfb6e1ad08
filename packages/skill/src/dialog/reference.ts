import { normalizeUtterance, parseNumber } from '@pitchline/alexa-kit/nlu';
import { REFERENCE_FOCUS_ID, REFERENCE_LAST_ID } from '@pitchline/voice-model';
import type { Slot } from 'ask-sdk-model';
import type { CatalogProduct } from '../catalog/types';

/**
 * "it", "two of those", "the second one": the shopper points at something they just heard instead
 * of naming it. Such a phrase must never reach catalog matching ("Sorry, we don't have of those")
 * nor be recorded as something the catalog lacks. It arrives in the REFERENCE slot, or, when Alexa's
 * NLU files it under the product slot ("add {quantity} {product}" hearing "add two of those"), in
 * that slot: both are read here.
 */

export type Reference =
  /** The product in focus: last pitched, described or added. */
  | { kind: 'focus'; quantity?: number }
  /** A position (1-based) in the list just read out, or its last item. */
  | { kind: 'position'; position: number | 'last'; quantity?: number }
  /** "both", "all of them": several products at once, which the dialog asks to have one by one. */
  | { kind: 'several' };

export const ORDINAL_WORDS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
] as const;
const ORDINAL_DIGITS = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th'];

const FOCUS_PHRASES = new Set([
  'it',
  'that',
  'this',
  'these',
  'those',
  'them',
  'this one',
  'that one',
  'these ones',
  'those ones',
  'the one',
  'that item',
  'this item',
  'that product',
  'this product',
  'the same',
  'the same one',
  // "add two more", "add another one": more of the product in focus.
  'more',
  'some more',
  'one more',
  'another',
  'another one',
]);
const SEVERAL_PHRASES = new Set([
  'both',
  'both of them',
  'both of those',
  'all',
  'all of them',
  'all of those',
  'all of these',
]);
const POSITION = new RegExp(
  `^(?:the )?(${[...ORDINAL_WORDS, ...ORDINAL_DIGITS, 'last', 'final'].join('|')})(?: one| item| product| option)?$`,
);

function position(word: string): number | 'last' {
  if (word === 'last' || word === 'final') return 'last';
  const at = (ORDINAL_WORDS as readonly string[]).indexOf(word);
  return at >= 0 ? at + 1 : ORDINAL_DIGITS.indexOf(word) + 1;
}

/** The reference a phrase makes, or undefined when it is not one (then it may name a product). */
export function parseReference(value: string): Reference | undefined {
  let text = normalizeUtterance(value);
  let quantity: number | undefined;
  // "two of those", "one of the second one": a count, then what it counts.
  const counted = /^(.+?) of (.+)$/.exec(text);
  if (counted) {
    const n = parseNumber(counted[1] as string);
    if (n !== null) {
      quantity = n;
      text = counted[2] as string;
    }
  }
  // "two more": a count of more of the same.
  const more = quantity === undefined ? /^(.+?) more$/.exec(text) : null;
  const extra = more ? parseNumber(more[1] as string) : null;
  if (extra !== null) {
    quantity = extra;
    text = 'more';
  }
  // "of those": the count went to the quantity slot and the rest to this one.
  if (text.startsWith('of ')) text = text.slice(3);
  const withQuantity = quantity === undefined ? {} : { quantity };
  if (FOCUS_PHRASES.has(text)) return { kind: 'focus', ...withQuantity };
  if (quantity === undefined && SEVERAL_PHRASES.has(text)) return { kind: 'several' };
  const at = POSITION.exec(text);
  if (at) return { kind: 'position', position: position(at[1] as string), ...withQuantity };
  return undefined;
}

/**
 * A reference from a slot: its words first; failing that, the id Alexa's entity resolution gave it
 * from the REFERENCE type (which hears "the secnd one" as id 2 where the words would not parse).
 */
export function referenceInSlot(slot: Slot | undefined): Reference | undefined {
  const value = slot?.value?.trim() ?? '';
  if (value === '') return undefined;
  const parsed = parseReference(value);
  if (parsed) return parsed;
  for (const authority of slot?.resolutions?.resolutionsPerAuthority ?? []) {
    if (authority.status?.code !== 'ER_SUCCESS_MATCH' || !authority.authority.endsWith('.REFERENCE'))
      continue;
    const id = authority.values?.[0]?.value?.id;
    if (id === REFERENCE_FOCUS_ID) return { kind: 'focus' };
    if (id === REFERENCE_LAST_ID) return { kind: 'position', position: 'last' };
    const n = Number(id);
    if (Number.isInteger(n) && n >= 1) return { kind: 'position', position: n };
  }
  return undefined;
}

/** What the shopper has in front of them: the product in focus and the list just read out. */
export interface ReferenceContext {
  focus: CatalogProduct | undefined;
  /** In the order spoken; undefined where a listed product has since left the catalog. */
  list: readonly (CatalogProduct | undefined)[] | undefined;
}

export type ReferenceOutcome =
  | { kind: 'product'; product: CatalogProduct; quantity?: number }
  /** Nothing to point at: ask which product. */
  | { kind: 'unclear'; why: 'nothing_in_focus' | 'no_list' | 'gone' | 'several' }
  | { kind: 'out_of_range'; position: number; size: number };

export function resolveReference(reference: Reference, context: ReferenceContext): ReferenceOutcome {
  if (reference.kind === 'several') return { kind: 'unclear', why: 'several' };
  const quantity = reference.quantity === undefined ? {} : { quantity: reference.quantity };
  if (reference.kind === 'focus') {
    // With nothing in focus, a list of one is still unambiguous.
    const only = context.list?.length === 1 ? context.list[0] : undefined;
    const product = context.focus ?? only;
    return product ? { kind: 'product', product, ...quantity } : { kind: 'unclear', why: 'nothing_in_focus' };
  }
  const list = context.list ?? [];
  if (list.length === 0) return { kind: 'unclear', why: 'no_list' };
  const index = positionIndex(reference.position, list.length);
  if (index === undefined) {
    return { kind: 'out_of_range', position: reference.position as number, size: list.length };
  }
  const product = list[index];
  return product ? { kind: 'product', product, ...quantity } : { kind: 'unclear', why: 'gone' };
}

/** The 0-based index of a spoken position in a list of `size`, or undefined past its end. */
export function positionIndex(position: number | 'last', size: number): number | undefined {
  const index = position === 'last' ? size - 1 : position - 1;
  return index >= 0 && index < size ? index : undefined;
}
