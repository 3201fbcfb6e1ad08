import type { HandlerInput } from 'ask-sdk-core';
import { z } from 'zod';

export const MAX_CART_LINES = 20;
export const MAX_LINE_QUANTITY = 99;
/**
 * Bounds on `heard`, which rides along with every response: at most ~4 KB of the 24 KB. Past them the
 * oldest entries go, so a pitch heard long ago in a very long session may be recorded once more.
 */
export const MAX_HEARD_EXPERIMENTS = 10;
export const MAX_HEARD_PRODUCTS = 10;

const productId = z.string().min(1).max(100);

export const cartLineSchema = z.object({
  productId,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
export type CartLine = z.infer<typeof cartLineSchema>;

const pendingSchema = z.discriminatedUnion('kind', [
  /** "Would you like to add it to your cart?" */
  z.object({ kind: z.literal('add'), productId }),
  /** "Would you like to check out?" after a cart review. */
  z.object({ kind: z.literal('offer_checkout') }),
  /** The checkout read-back was spoken; the order id is made then so Yes and No name the same order. */
  z.object({
    kind: z.literal('checkout'),
    orderId: z.string().max(100),
    amount: z.number().int().min(0),
    currency: z.string().max(3),
    itemCount: z.number().int().min(0),
  }),
]);
export type Pending = z.infer<typeof pendingSchema>;

/**
 * A pitch variant heard in this session. Kept so the session hears one variant per experiment even
 * if bandit weights move mid-session, so the probability logged is the one the user was assigned
 * with, and so a repeated pitch is not a second exposure. Short keys: this travels with every turn.
 */
const heardSchema = z.object({
  /** experiment key */
  e: z.string().max(100),
  /** variant key */
  v: z.string().max(100),
  /** assignment probability when first assigned this session */
  p: z.number().gt(0).max(1),
  /** ids (UUIDs) of products whose pitch in this variant was recorded as an exposure this session */
  x: z.array(z.string().min(1).max(40)).max(MAX_HEARD_PRODUCTS),
});
export type Heard = z.infer<typeof heardSchema>;

const listingSchema = z.object({
  kind: z.enum(['category', 'search', 'categories']),
  /** The category name or search text the listing was made from. */
  key: z.string().max(500),
  offset: z.number().int().min(0),
});
export type Listing = z.infer<typeof listingSchema>;

/**
 * Session attributes travel to Alexa and back in every response, so they count against the 24 KB
 * response limit: ids and numbers only, never catalog text. Alexa (or anyone) could send back
 * anything, so each field is parsed on its own and a bad one falls back to empty, never throws.
 */
export const sessionSchema = z.object({
  cart: z.array(cartLineSchema).max(MAX_CART_LINES).catch([]),
  pending: pendingSchema.optional().catch(undefined),
  listing: listingSchema.optional().catch(undefined),
  /** The product in focus ("add it", "two of those"): last pitched, described or added. */
  lastProductId: productId.optional().catch(undefined),
  /**
   * The products of the list last read out (a listing page or the cart), in the order spoken, so
   * "the second one" means what the shopper heard second. Ids only; at most a cart's worth.
   */
  shown: z.array(productId).max(MAX_CART_LINES).optional().catch(undefined),
  /**
   * When the list last read out was categories: where that page started in the catalog's categories
   * and how many were read, so "the second one" is the category heard second. Positions, not names:
   * category names are catalog text, which stays out of the session.
   */
  shownCategories: z
    .object({ offset: z.number().int().min(0), count: z.number().int().min(1).max(MAX_CART_LINES) })
    .optional()
    .catch(undefined),
  /** `expKey:variantKey` of pitches heard this session (attribution for orders). */
  variants: z.array(z.string().max(200)).max(50).catch([]),
  heard: z.array(heardSchema).max(MAX_HEARD_EXPERIMENTS).catch([]),
  /** The last response, for AMAZON.RepeatIntent and for session_end's exit point. */
  last: z
    .object({ speech: z.string().max(8100), reprompt: z.string().max(8100).optional() })
    .optional()
    .catch(undefined),
});
export type SessionData = z.infer<typeof sessionSchema>;

export function readSession(input: HandlerInput): SessionData {
  const raw = input.attributesManager.getSessionAttributes() ?? {};
  return parseSession(typeof raw === 'object' && raw !== null ? raw : {});
}

export function writeSession(input: HandlerInput, data: SessionData): void {
  input.attributesManager.setSessionAttributes(parseSession(data));
}

/** Reads, lets the caller change, writes back: handlers never touch raw attributes. */
export function updateSession(input: HandlerInput, change: (data: SessionData) => void): SessionData {
  const data = readSession(input);
  change(data);
  writeSession(input, data);
  return data;
}

/**
 * Exactly `sessionSchema.parse(raw)`, cheaper. A turn reads and writes the session five to ten times
 * (interceptor, handler, respond), and zod spent ~100 µs a turn on it, most of it building the issues
 * that `.catch` then throws away for every field a fresh session lacks. The fast path accepts only
 * what it can prove valid and copies it in the schema's key order, dropping unknown keys as zod does;
 * anything else (a bad field, a hostile value, a non-object) goes to zod, so the fallbacks and errors
 * stay zod's. session.test.ts checks both paths agree on valid, edge and hostile inputs.
 */
export function parseSession(raw: unknown): SessionData {
  return fastParseSession(raw) ?? sessionSchema.parse(raw);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/** A copy of a valid `raw`, or undefined when zod has to decide. */
function fastParseSession(raw: unknown): SessionData | undefined {
  if (!isObject(raw)) return undefined;
  const out: Record<string, unknown> = {};

  const cart = raw.cart;
  if (cart === undefined) out.cart = [];
  else {
    if (!Array.isArray(cart) || cart.length > MAX_CART_LINES) return undefined;
    const lines: CartLine[] = [];
    for (const line of cart) {
      if (!isObject(line) || !isString(line.productId, 1, 100) || !isInt(line.quantity, 1, MAX_LINE_QUANTITY))
        return undefined;
      lines.push({ productId: line.productId, quantity: line.quantity });
    }
    out.cart = lines;
  }

  if ('pending' in raw) {
    const pending = raw.pending;
    if (pending === undefined) out.pending = undefined;
    else {
      if (!isObject(pending)) return undefined;
      if (pending.kind === 'add') {
        if (!isString(pending.productId, 1, 100)) return undefined;
        out.pending = { kind: 'add', productId: pending.productId };
      } else if (pending.kind === 'offer_checkout') {
        out.pending = { kind: 'offer_checkout' };
      } else if (pending.kind === 'checkout') {
        if (
          !isString(pending.orderId, 0, 100) ||
          !isInt(pending.amount, 0) ||
          !isString(pending.currency, 0, 3) ||
          !isInt(pending.itemCount, 0)
        )
          return undefined;
        out.pending = {
          kind: 'checkout',
          orderId: pending.orderId,
          amount: pending.amount,
          currency: pending.currency,
          itemCount: pending.itemCount,
        };
      } else return undefined;
    }
  }

  if ('listing' in raw) {
    const listing = raw.listing;
    if (listing === undefined) out.listing = undefined;
    else {
      if (
        !isObject(listing) ||
        (listing.kind !== 'category' && listing.kind !== 'search' && listing.kind !== 'categories') ||
        !isString(listing.key, 0, 500) ||
        !isInt(listing.offset, 0)
      )
        return undefined;
      out.listing = { kind: listing.kind, key: listing.key, offset: listing.offset };
    }
  }

  if ('lastProductId' in raw) {
    const id = raw.lastProductId;
    if (id !== undefined && !isString(id, 1, 100)) return undefined;
    out.lastProductId = id;
  }

  if ('shown' in raw) {
    const shown = raw.shown;
    if (shown === undefined) out.shown = undefined;
    else {
      if (!Array.isArray(shown) || shown.length > MAX_CART_LINES) return undefined;
      for (const id of shown) if (!isString(id, 1, 100)) return undefined;
      out.shown = shown.slice();
    }
  }

  if ('shownCategories' in raw) {
    const shown = raw.shownCategories;
    if (shown === undefined) out.shownCategories = undefined;
    else {
      if (!isObject(shown) || !isInt(shown.offset, 0) || !isInt(shown.count, 1, MAX_CART_LINES))
        return undefined;
      out.shownCategories = { offset: shown.offset, count: shown.count };
    }
  }

  const variants = raw.variants;
  if (variants === undefined) out.variants = [];
  else {
    if (!Array.isArray(variants) || variants.length > 50) return undefined;
    for (const v of variants) if (!isString(v, 0, 200)) return undefined;
    out.variants = variants.slice();
  }

  const heard = raw.heard;
  if (heard === undefined) out.heard = [];
  else {
    if (!Array.isArray(heard) || heard.length > MAX_HEARD_EXPERIMENTS) return undefined;
    const copy: Heard[] = [];
    for (const h of heard) {
      if (
        !isObject(h) ||
        !isString(h.e, 0, 100) ||
        !isString(h.v, 0, 100) ||
        typeof h.p !== 'number' ||
        !(h.p > 0 && h.p <= 1) ||
        !Array.isArray(h.x) ||
        h.x.length > MAX_HEARD_PRODUCTS
      )
        return undefined;
      for (const x of h.x) if (!isString(x, 1, 40)) return undefined;
      copy.push({ e: h.e, v: h.v, p: h.p, x: h.x.slice() });
    }
    out.heard = copy;
  }

  if ('last' in raw) {
    const last = raw.last;
    if (last === undefined) out.last = undefined;
    else {
      if (!isObject(last) || !isString(last.speech, 0, 8100)) return undefined;
      if ('reprompt' in last) {
        if (!isString(last.reprompt, 0, 8100)) return undefined;
        out.last = { speech: last.speech, reprompt: last.reprompt };
      } else out.last = { speech: last.speech };
    }
  }
  return out as SessionData;
}
