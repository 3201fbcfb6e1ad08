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
  lastProductId: productId.optional().catch(undefined),
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
  return sessionSchema.parse(typeof raw === 'object' && raw !== null ? raw : {});
}

export function writeSession(input: HandlerInput, data: SessionData): void {
  input.attributesManager.setSessionAttributes(sessionSchema.parse(data));
}

/** Reads, lets the caller change, writes back: handlers never touch raw attributes. */
export function updateSession(input: HandlerInput, change: (data: SessionData) => void): SessionData {
  const data = readSession(input);
  change(data);
  writeSession(input, data);
  return data;
}
