import { describe, expect, it } from 'vitest';
import { CATEGORY_SLOT_TYPE, PRODUCT_SLOT_TYPE, updateDynamicEntities } from './dynamic-entities';
import type { Catalog, CatalogProduct } from './types';

const product = (id: string, name: string, category: string): CatalogProduct => ({
  id,
  name,
  description: '',
  category,
  priceAmount: 100,
  currency: 'USD',
  featured: false,
  defaultPitch: '{{product}}',
  synonyms: [`${name} synonym`],
});
const catalog = (...products: CatalogProduct[]): Catalog => ({
  merchantId: 'm',
  merchantName: 'Shop',
  currency: 'USD',
  products,
});

describe('updateDynamicEntities', () => {
  it('sends one catalog the same (frozen) directive, and a changed catalog its own', () => {
    const before = catalog(product('p1', 'Kettle', 'Brewing'));
    const first = updateDynamicEntities(before);
    expect(updateDynamicEntities(before)).toBe(first);
    expect(first).toEqual(
      updateDynamicEntities(before, { product: PRODUCT_SLOT_TYPE, category: CATEGORY_SLOT_TYPE }),
    );
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { types: unknown[] }).types.push('x');
    }).toThrow();

    const after = catalog(product('p1', 'Kettle', 'Brewing'), product('p2', 'Grinder', 'Tools'));
    const second = updateDynamicEntities(after) as { types: { name: string; values: unknown[] }[] };
    expect(second).not.toBe(first);
    expect(second.types.map((t) => [t.name, t.values.length])).toEqual([
      [PRODUCT_SLOT_TYPE, 2],
      [CATEGORY_SLOT_TYPE, 2],
    ]);
  });

  it('sends nothing for an empty catalog, every time', () => {
    const empty = catalog();
    expect(updateDynamicEntities(empty)).toBeUndefined();
    expect(updateDynamicEntities(empty)).toBeUndefined();
  });
});
