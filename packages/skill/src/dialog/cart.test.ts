import { describe, expect, it } from 'vitest';
import { addToCart, itemCount, parseQuantity, removeFromCart } from './cart';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, sessionSchema } from './session';

describe('cart bounds', () => {
  it('adds to an existing line and caps it at 99', () => {
    let r = addToCart([], 'a', 2);
    expect(r).toMatchObject({ ok: true, added: 2, quantity: 2, capped: false });
    r = addToCart(r.ok ? r.cart : [], 'a', 98);
    expect(r).toMatchObject({ ok: true, added: 97, quantity: MAX_LINE_QUANTITY, capped: true });
    expect(addToCart(r.ok ? r.cart : [], 'a', 1)).toEqual({ ok: false, reason: 'line_full' });
  });

  it('refuses a 21st line but still adds to existing ones', () => {
    const cart = Array.from({ length: MAX_CART_LINES }, (_, i) => ({ productId: `p${i}`, quantity: 1 }));
    expect(addToCart(cart, 'new', 1)).toEqual({ ok: false, reason: 'cart_full' });
    expect(addToCart(cart, 'p3', 1)).toMatchObject({ ok: true, quantity: 2 });
  });

  it('removes some, all, or refuses what is not there', () => {
    const cart = [{ productId: 'a', quantity: 5 }];
    expect(removeFromCart(cart, 'a', 2)).toMatchObject({ ok: true, removed: 2, remaining: 3 });
    expect(removeFromCart(cart, 'a')).toMatchObject({ ok: true, removed: 5, remaining: 0, cart: [] });
    expect(removeFromCart(cart, 'a', 50)).toMatchObject({ removed: 5 });
    expect(removeFromCart(cart, 'b')).toEqual({ ok: false, reason: 'not_in_cart' });
    expect(itemCount([...cart, { productId: 'b', quantity: 2 }])).toBe(7);
  });

  it('parses spoken quantities', () => {
    expect(parseQuantity(undefined)).toEqual({ ok: true, quantity: 1 });
    expect(parseQuantity('2')).toEqual({ ok: true, quantity: 2 });
    for (const bad of ['0', '100', '?', '-3', '2.5', 'two'])
      expect(parseQuantity(bad)).toEqual({ ok: false });
  });
});

describe('session attributes from the wire', () => {
  it('drops fields that do not parse instead of failing the turn', () => {
    const parsed = sessionSchema.parse({
      cart: [{ productId: 'a', quantity: 500 }],
      pending: { kind: 'bogus' },
      last: 42,
      variants: 'nope',
      heard: [{ e: 'exp', v: 'b', p: 7, x: [] }],
    });
    expect(parsed).toEqual({ cart: [], variants: [], heard: [] });
  });
});
