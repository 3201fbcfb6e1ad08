import { type CartLine, MAX_CART_LINES, MAX_LINE_QUANTITY } from './session';

export type AddResult =
  | { ok: true; cart: CartLine[]; added: number; quantity: number; capped: boolean }
  | { ok: false; reason: 'cart_full' | 'line_full' };

/** Adds to a line (or opens one); quantities stop at 99 and the cart at 20 lines. */
export function addToCart(cart: readonly CartLine[], productId: string, quantity: number): AddResult {
  const existing = cart.find((l) => l.productId === productId);
  if (!existing && cart.length >= MAX_CART_LINES) return { ok: false, reason: 'cart_full' };
  const before = existing?.quantity ?? 0;
  if (before >= MAX_LINE_QUANTITY) return { ok: false, reason: 'line_full' };
  const after = Math.min(MAX_LINE_QUANTITY, before + quantity);
  const next = existing
    ? cart.map((l) => (l.productId === productId ? { ...l, quantity: after } : l))
    : [...cart, { productId, quantity: after }];
  return { ok: true, cart: next, added: after - before, quantity: after, capped: after < before + quantity };
}

export type RemoveResult =
  | { ok: true; cart: CartLine[]; removed: number; remaining: number }
  | { ok: false; reason: 'not_in_cart' };

/** Removes some of a line, or all of it when no quantity is given (or more than it holds). */
export function removeFromCart(
  cart: readonly CartLine[],
  productId: string,
  quantity?: number,
): RemoveResult {
  const existing = cart.find((l) => l.productId === productId);
  if (!existing) return { ok: false, reason: 'not_in_cart' };
  const removed = Math.min(existing.quantity, quantity ?? existing.quantity);
  const remaining = existing.quantity - removed;
  const next =
    remaining === 0
      ? cart.filter((l) => l.productId !== productId)
      : cart.map((l) => (l.productId === productId ? { ...l, quantity: remaining } : l));
  return { ok: true, cart: next, removed, remaining };
}

export function itemCount(cart: readonly CartLine[]): number {
  return cart.reduce((n, l) => n + l.quantity, 0);
}

/**
 * A spoken quantity: absent means one; anything that is not a whole number from 1 to 99 is refused
 * (Alexa's AMAZON.NUMBER can hear "?" or "minus three").
 */
export function parseQuantity(value: string | undefined): { ok: true; quantity: number } | { ok: false } {
  if (value === undefined || value.trim() === '') return { ok: true, quantity: 1 };
  if (!/^\d{1,3}$/.test(value.trim())) return { ok: false };
  const n = Number(value.trim());
  return n >= 1 && n <= MAX_LINE_QUANTITY ? { ok: true, quantity: n } : { ok: false };
}
