import type { Slot } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import { resolveCategorySlot, resolveProductSlot } from './resolve';
import type { Catalog, CatalogProduct } from './types';

const grinder: CatalogProduct = {
  id: '01936f4e-0000-7000-8000-0000000000a1',
  name: 'Burr Grinder',
  description: '',
  category: 'Brewing Gear',
  priceAmount: 12900,
  currency: 'USD',
  featured: false,
  defaultPitch: '{{product}}',
  synonyms: ['grinder'],
};
const catalog: Catalog = { merchantId: 'm', merchantName: 'Shop', currency: 'USD', products: [grinder] };

function slot(
  value: string,
  authorities: { authority: string; code: string; id?: string; name?: string }[] = [],
): Slot {
  return {
    name: 'product',
    value,
    confirmationStatus: 'NONE',
    ...(authorities.length > 0
      ? {
          resolutions: {
            resolutionsPerAuthority: authorities.map((a) => ({
              authority: a.authority,
              status: { code: a.code as 'ER_SUCCESS_MATCH' },
              values: a.id ? [{ value: { id: a.id, name: a.name ?? '' } }] : [],
            })),
          },
        }
      : {}),
  };
}

const DYNAMIC = 'amzn1.er-authority.echo-sdk.dynamic.amzn1.ask.skill.x.PRODUCT';
const STATIC = 'amzn1.er-authority.echo-sdk.amzn1.ask.skill.x.PRODUCT';

describe('resolveProductSlot', () => {
  it("uses Alexa's dynamic match by catalog id", () => {
    const r = resolveProductSlot(
      'product',
      slot('the grinding thing', [
        { authority: DYNAMIC, code: 'ER_SUCCESS_MATCH', id: grinder.id, name: 'Burr Grinder' },
      ]),
      catalog,
    );
    expect(r.product).toBe(grinder);
    expect(r.record).toEqual({
      name: 'product',
      value: 'the grinding thing',
      resolved_id: grinder.id,
      resolved_value: 'Burr Grinder',
      resolution: 'match',
    });
  });

  it('maps a static-model match (not a catalog id) through its canonical name', () => {
    const r = resolveProductSlot(
      'product',
      slot('burr mill', [
        { authority: STATIC, code: 'ER_SUCCESS_MATCH', id: 'BURR_GRINDER', name: 'burr grinder' },
      ]),
      catalog,
    );
    expect(r.product).toBe(grinder);
  });

  it('records a no-match the live catalog confirms, with what the shopper asked for', () => {
    const r = resolveProductSlot(
      'product',
      slot('jet ski', [{ authority: DYNAMIC, code: 'ER_SUCCESS_NO_MATCH' }]),
      catalog,
    );
    expect(r.product).toBeUndefined();
    expect(r.record).toEqual({ name: 'product', value: 'jet ski', resolution: 'no_match' });
  });

  it("checks Alexa's no-match against the live catalog: a one-shot request only had the static model", () => {
    for (const authority of [STATIC, DYNAMIC]) {
      const r = resolveProductSlot(
        'product',
        slot('burr grinder', [{ authority, code: 'ER_SUCCESS_NO_MATCH' }]),
        catalog,
      );
      expect(r.product, authority).toBe(grinder);
      expect(r.record).toEqual({
        name: 'product',
        value: 'burr grinder',
        resolved_id: grinder.id,
        resolved_value: 'Burr Grinder',
        resolution: 'match',
      });
    }
    // A static match on a value the catalog does not carry falls back to what was said.
    const stale = slot('grinder', [
      { authority: STATIC, code: 'ER_SUCCESS_MATCH', id: 'espresso-beans', name: 'espresso beans' },
    ]);
    expect(resolveProductSlot('product', stale, catalog).product).toBe(grinder);
  });

  it('matches on our side when Alexa sent no resolutions or only errors', () => {
    expect(resolveProductSlot('product', slot('grinder'), catalog).product).toBe(grinder);
    expect(
      resolveProductSlot(
        'product',
        slot('grinder', [{ authority: DYNAMIC, code: 'ER_ERROR_TIMEOUT' }]),
        catalog,
      ).product,
    ).toBe(grinder);
    expect(resolveProductSlot('product', slot('a unicorn'), catalog).record.resolution).toBe('no_match');
  });

  it('an empty slot is no resolution at all', () => {
    expect(resolveProductSlot('product', undefined, catalog).record).toEqual({
      name: 'product',
      value: '',
      resolution: 'none',
    });
  });
});

describe('resolveCategorySlot', () => {
  it('matches categories of the catalog', () => {
    expect(resolveCategorySlot('category', slot('brewing gear'), catalog).category).toBe('Brewing Gear');
    expect(resolveCategorySlot('category', slot('shoes'), catalog).record.resolution).toBe('no_match');
  });
});
