import { DEMO_PRODUCTS } from '@pitchline/db';
import { interactionModel } from '@pitchline/voice-model';
import { describe, expect, it } from 'vitest';
import { matchProducts } from './match';
import type { CatalogProduct } from './types';

/**
 * A one-shot request ("ask northwind shop to tell me about colombia huila") opens a session before the
 * skill could send its catalog as dynamic entities: only the model's static PRODUCT values can
 * resolve it on Alexa's side. So the deployed model carries the demo catalog, and every static value
 * must land on its product through the live matcher (resolve.ts maps a static id by its name).
 */
const { types } = interactionModel.interactionModel.languageModel;
const staticValues = types.find((t) => t.name === 'PRODUCT')?.values ?? [];
const products: CatalogProduct[] = DEMO_PRODUCTS.map((p, i) => ({
  id: `demo-${i}`,
  name: p.name,
  description: p.description ?? '',
  category: p.category,
  priceAmount: p.priceAmount,
  currency: 'USD',
  featured: false,
  defaultPitch: '{{product}}',
  synonyms: p.synonyms ?? [],
}));

describe('the static PRODUCT values', () => {
  it('are the demo catalog: every product name and synonym, as Alexa hears them', () => {
    expect(staticValues.map((v) => v.name.value).sort()).toEqual(
      DEMO_PRODUCTS.map((p) => spoken(p.name)).sort(),
    );
    for (const p of DEMO_PRODUCTS) {
      const value = staticValues.find((v) => v.name.value === spoken(p.name));
      expect(value?.name.synonyms?.sort(), p.name).toEqual((p.synonyms ?? []).map(spoken).sort());
    }
  });

  it("map back to their product by the canonical name Alexa's static resolution returns", () => {
    for (const value of staticValues) {
      const top = matchProducts(value.name.value, products)[0];
      expect(spoken(top?.product.name), value.name.value).toBe(value.name.value);
    }
  });

  it('carry the demo categories', () => {
    const categories = types.find((t) => t.name === 'CATEGORY')?.values.map((v) => v.name.value) ?? [];
    for (const c of new Set(DEMO_PRODUCTS.map((p) => p.category.toLowerCase())))
      expect(categories).toContain(c);
  });
});

function spoken(name: string): string;
function spoken(name: string | undefined): string | undefined;
function spoken(name: string | undefined): string | undefined {
  return name?.toLowerCase().replace(/-/g, ' ');
}
