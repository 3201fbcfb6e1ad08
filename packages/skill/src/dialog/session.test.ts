import { describe, expect, it } from 'vitest';
import { MAX_CART_LINES, MAX_HEARD_EXPERIMENTS, parseSession, sessionSchema } from './session';

/** What zod says, as a value or as the fact that it throws. */
function viaZod(raw: unknown): unknown {
  try {
    return { ok: sessionSchema.parse(raw) };
  } catch (err) {
    return { threw: (err as Error).name };
  }
}
function viaParseSession(raw: unknown): unknown {
  try {
    return { ok: parseSession(raw) };
  } catch (err) {
    return { threw: (err as Error).name };
  }
}

/** Same value, same keys (undefined-valued ones included) and same key order once serialised. */
function expectSameAsZod(raw: unknown): void {
  const fast = viaParseSession(raw);
  const zod = viaZod(raw);
  expect(fast).toStrictEqual(zod);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
}

const UUID = '0190a5a4-3c1e-7c2a-9f7e-2b9c3d4e5f60';
const valid = {
  cart: [
    { productId: UUID, quantity: 2 },
    { productId: 'p2', quantity: 99 },
  ],
  pending: { kind: 'checkout', orderId: UUID, amount: 1999, currency: 'USD', itemCount: 3 },
  listing: { kind: 'search', key: 'coffee beans', offset: 3 },
  lastProductId: UUID,
  shown: [UUID, 'p2'],
  variants: ['pitch-test:b', 'other:a'],
  heard: [{ e: 'pitch-test', v: 'b', p: 0.5, x: [UUID] }],
  last: { speech: '<speak>Hi</speak>', reprompt: '<speak>What next?</speak>' },
};

const edgeCases: Record<string, unknown> = {
  empty: {},
  'full and valid': valid,
  'keys out of order, unknown keys': { zzz: 1, last: valid.last, cart: valid.cart, extra: { a: 1 } },
  'unknown keys inside entries': {
    cart: [{ quantity: 1, productId: 'p', price: 5 }],
    pending: { kind: 'add', productId: 'p', note: 'x' },
    heard: [{ x: [], p: 1, v: 'a', e: 'b', more: true }],
    last: { speech: 's', other: 1 },
  },
  'optional keys present as undefined': {
    pending: undefined,
    listing: undefined,
    lastProductId: undefined,
    last: undefined,
  },
  'reprompt present as undefined': { last: { speech: 's', reprompt: undefined } },
  'offer_checkout and add pendings': { pending: { kind: 'offer_checkout' } },
  'add pending': { pending: { kind: 'add', productId: 'p' } },
  'every listing kind': { listing: { kind: 'categories', key: '', offset: 0 } },
  'shown empty or undefined': { shown: [] },
  'shown undefined': { shown: undefined },
  'shown categories': { shownCategories: { offset: 5, count: 3 } },
  'shown categories, unknown key': { shownCategories: { count: 1, offset: 0, names: ['x'] } },
  'bounds exactly': {
    cart: Array.from({ length: MAX_CART_LINES }, (_, i) => ({ productId: 'x'.repeat(100), quantity: i + 1 })),
    variants: Array.from({ length: 50 }, () => 'v'.repeat(200)),
    heard: Array.from({ length: MAX_HEARD_EXPERIMENTS }, () => ({
      e: 'e'.repeat(100),
      v: 'v'.repeat(100),
      p: Number.MIN_VALUE,
      x: Array.from({ length: 10 }, () => 'x'.repeat(40)),
    })),
    last: { speech: 's'.repeat(8100), reprompt: 'r'.repeat(8100) },
    listing: { kind: 'category', key: 'k'.repeat(500), offset: Number.MAX_SAFE_INTEGER },
    shown: Array.from({ length: MAX_CART_LINES }, () => 'x'.repeat(100)),
    pending: { kind: 'checkout', orderId: '', amount: 0, currency: '', itemCount: 0 },
  },
  // Each of these breaks one field by one step: zod falls that field back, the rest survive.
  'cart one line too many': {
    cart: Array.from({ length: MAX_CART_LINES + 1 }, () => ({ productId: 'p', quantity: 1 })),
  },
  'quantity 0': { cart: [{ productId: 'p', quantity: 0 }] },
  'quantity 100': { cart: [{ productId: 'p', quantity: 100 }] },
  'quantity 1.5': { cart: [{ productId: 'p', quantity: 1.5 }] },
  'quantity as text': { cart: [{ productId: 'p', quantity: '2' }] },
  'empty product id': { cart: [{ productId: '', quantity: 1 }], lastProductId: '' },
  'product id 101 chars': { lastProductId: 'x'.repeat(101) },
  'shown one too many': { shown: Array.from({ length: MAX_CART_LINES + 1 }, () => 'p') },
  'shown id empty': { shown: ['p', ''] },
  'shown not a list': { shown: 'p' },
  'shown null': { shown: null },
  'shown categories count 0': { shownCategories: { offset: 0, count: 0 } },
  'shown categories offset -1': { shownCategories: { offset: -1, count: 2 } },
  'shown categories count 21': { shownCategories: { offset: 0, count: MAX_CART_LINES + 1 } },
  'shown categories not an object': { shownCategories: [0, 2] },
  'cart is an object': { cart: { 0: { productId: 'p', quantity: 1 } } },
  'cart is null': { cart: null, variants: null, heard: null },
  'cart line is null': { cart: [null] },
  // biome-ignore lint/suspicious/noSparseArray: a hole is exactly the hostile shape under test
  'sparse cart': { cart: [, { productId: 'p', quantity: 1 }] },
  'unknown pending kind': { pending: { kind: 'pay' } },
  'pending null': { pending: null, listing: null, last: null, lastProductId: null },
  'amount negative': {
    pending: { kind: 'checkout', orderId: 'o', amount: -1, currency: 'USD', itemCount: 1 },
  },
  'amount NaN': {
    pending: { kind: 'checkout', orderId: 'o', amount: Number.NaN, currency: 'USD', itemCount: 1 },
  },
  'amount unsafe': {
    pending: { kind: 'checkout', orderId: 'o', amount: 2 ** 60, currency: 'USD', itemCount: 1 },
  },
  'currency 4 chars': {
    pending: { kind: 'checkout', orderId: 'o', amount: 1, currency: 'USDX', itemCount: 1 },
  },
  'order id missing': { pending: { kind: 'checkout', amount: 1, currency: 'USD', itemCount: 1 } },
  'listing kind unknown': { listing: { kind: 'all', key: '', offset: 0 } },
  'listing offset -1': { listing: { kind: 'search', key: '', offset: -1 } },
  'listing key 501': { listing: { kind: 'search', key: 'k'.repeat(501), offset: 0 } },
  'variants 51': { variants: Array.from({ length: 51 }, () => 'v') },
  'variant 201 chars': { variants: ['v'.repeat(201)] },
  'variant not text': { variants: [1] },
  'heard 11': { heard: Array.from({ length: 11 }, () => ({ e: 'e', v: 'v', p: 1, x: [] })) },
  'heard p 0': { heard: [{ e: 'e', v: 'v', p: 0, x: [] }] },
  'heard p above 1': { heard: [{ e: 'e', v: 'v', p: 1.0000001, x: [] }] },
  'heard p Infinity': { heard: [{ e: 'e', v: 'v', p: Number.POSITIVE_INFINITY, x: [] }] },
  'heard p NaN': { heard: [{ e: 'e', v: 'v', p: Number.NaN, x: [] }] },
  'heard x 11': { heard: [{ e: 'e', v: 'v', p: 1, x: Array.from({ length: 11 }, () => 'x') }] },
  'heard x empty id': { heard: [{ e: 'e', v: 'v', p: 1, x: [''] }] },
  'heard x missing': { heard: [{ e: 'e', v: 'v', p: 1 }] },
  'speech 8101': { last: { speech: 's'.repeat(8101) } },
  'reprompt null': { last: { speech: 's', reprompt: null } },
  'speech missing': { last: { reprompt: 'r' } },
  'boxed string': { lastProductId: Object('p') },
  'not an object': [],
  'a string': 'cart',
  null: null,
  'prototype pollution attempt': JSON.parse(
    '{"__proto__":{"cart":[{"productId":"p","quantity":1}]},"cart":[]}',
  ),
};

describe('parseSession', () => {
  for (const [name, raw] of Object.entries(edgeCases)) {
    it(`agrees with sessionSchema.parse: ${name}`, () => expectSameAsZod(raw));
  }

  it('agrees with sessionSchema.parse on random mutations of a valid session', () => {
    // Deterministic PRNG: a failure names a reproducible case.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const junk = [
      undefined,
      null,
      0,
      -1,
      1.5,
      100,
      Number.NaN,
      '',
      'x'.repeat(101),
      [],
      {},
      true,
      'add',
      'checkout',
      'search',
    ];
    const mutate = (value: unknown, depth: number): unknown => {
      if (random() < 0.15) return junk[Math.floor(random() * junk.length)];
      if (Array.isArray(value)) return value.map((v) => mutate(v, depth + 1));
      if (value && typeof value === 'object' && depth < 4) {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (random() > 0.1) copy[k] = mutate(v, depth + 1);
        return copy;
      }
      return value;
    };
    for (let i = 0; i < 2000; i++) expectSameAsZod(mutate(valid, 0));
  });

  it('returns a copy: changing it leaves the input alone', () => {
    const raw = structuredClone(valid);
    const parsed = parseSession(raw);
    parsed.cart.push({ productId: 'new', quantity: 1 });
    (parsed.heard[0] as { x: string[] }).x.push('new');
    parsed.variants.push('new');
    expect(raw).toStrictEqual(valid);
  });
});
