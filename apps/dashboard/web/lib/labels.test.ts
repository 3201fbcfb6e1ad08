import { expect, it } from 'vitest';
import {
  eventLabel,
  exitReasonLabel,
  hasUuid,
  humanize,
  intentLabel,
  namedList,
  productLabel,
  variantKeyLabel,
  variantLabel,
} from './labels';

const PRODUCT = '01a2510b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

it('names products by name, and without one by a short label that is not a UUID', () => {
  expect(productLabel({ productId: PRODUCT, name: 'Ethiopia Yirgacheffe' })).toBe('Ethiopia Yirgacheffe');
  const fallback = productLabel({ productId: PRODUCT });
  expect(fallback).toBe('Product …4a5b');
  expect(hasUuid(fallback)).toBe(false);
  expect(hasUuid(`Scope: Product ${PRODUCT}`)).toBe(true);
});

it('names variants by name, else in words from the key', () => {
  expect(variantLabel({ variantKey: 'b', name: 'Tasting promise' })).toBe('Tasting promise');
  expect(variantKeyLabel('yirgacheffe-pitch:b')).toBe('Yirgacheffe pitch: Variant b');
  expect(variantKeyLabel('yirgacheffe-pitch:control')).toBe('Yirgacheffe pitch: Control');
  expect(variantKeyLabel('(none)')).toBe('No pitch heard');
});

it('prefers the API label, then the map, then words made from the name', () => {
  expect(eventLabel('cart_add')).toBe('Added to cart');
  expect(eventLabel('cart_add', 'Put in the cart')).toBe('Put in the cart');
  expect(intentLabel('AddToCartIntent')).toBe('Add to cart');
  expect(intentLabel('AMAZON.PauseIntent')).toBe('Pause');
  expect(intentLabel('SomeFutureIntent')).toBe('Some future');
  expect(exitReasonLabel('exceeded_max_reprompts')).toBe('No answer after reprompts');
  expect(exitReasonLabel('')).toBe('No end recorded');
  expect(humanize('cart_full')).toBe('Cart full');
  expect(humanize('')).toBe('Unnamed');
});

it('reads the names the API sends beside a list of ids, and only complete ones', () => {
  const row = {
    variantsHeardNamed: [
      { key: 'yirgacheffe-pitch:b', name: 'Yirgacheffe launch pitch: Tasting promise' },
      { key: 'x:control', name: 'X: Control' },
    ],
    productsTouchedNamed: [{ id: PRODUCT, name: '' }],
  };
  expect(namedList(row, 'variantsHeardNamed')).toEqual([
    'Yirgacheffe launch pitch: Tasting promise',
    'X: Control',
  ]);
  expect(namedList(row, 'productsTouchedNamed')).toBeUndefined();
  expect(namedList({}, 'variantsHeardNamed')).toBeUndefined();
});
