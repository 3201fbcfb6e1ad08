import { renderPitch } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { pitchValues, tryRenderPitch } from './pitch';

const product: CatalogProduct = {
  id: '0190a5a4-3c1e-7c2a-9f7e-2b9c3d4e5f61',
  name: 'Gooseneck Kettle',
  description: 'Pours slowly.',
  category: 'Brewing',
  priceAmount: 4500,
  currency: 'USD',
  featured: false,
  defaultPitch: '<emphasis level="moderate">{{product}}</emphasis> is just {{price}} at {{merchant}}.',
  synonyms: [],
};
const catalogWith = (p: CatalogProduct): Catalog => ({
  merchantId: '0190a5a4-3c1e-7c2a-9f7e-2b9c3d4e5f60',
  merchantName: 'Northwind & Co',
  currency: 'USD',
  products: [p],
});

function recordingLogger() {
  const warnings: unknown[] = [];
  return { warnings, logger: { info() {}, error() {}, warn: (o: unknown) => void warnings.push(o) } };
}

describe('tryRenderPitch', () => {
  it('says exactly what renderPitch says, the first time and from memory', () => {
    const catalog = catalogWith(product);
    const { logger } = recordingLogger();
    const direct = renderPitch(product.defaultPitch, pitchValues(product, catalog), { locale: 'en-US' });
    expect(direct).toContain('$45.00');
    expect(direct).toContain('Northwind &amp; Co');
    for (let i = 0; i < 3; i++) {
      expect(tryRenderPitch(product.defaultPitch, product, catalog, 'en-US', logger, {})).toBe(direct);
    }
  });

  it('hears a new price in a new catalog, and renders each locale on its own', () => {
    const { logger } = recordingLogger();
    const before = catalogWith(product);
    const repriced = { ...product, priceAmount: 3900 };
    const after = catalogWith(repriced);
    expect(tryRenderPitch(product.defaultPitch, product, before, 'en-US', logger, {})).toContain('$45.00');
    expect(tryRenderPitch(repriced.defaultPitch, repriced, after, 'en-US', logger, {})).toContain('$39.00');
    expect(tryRenderPitch(product.defaultPitch, product, before, 'en-GB', logger, {})).toContain('US$45.00');
  });

  it('logs a template that will not render every time it is tried, and says nothing', () => {
    const catalog = catalogWith(product);
    const { logger, warnings } = recordingLogger();
    const broken = '{{product}} with {{discount}} off';
    for (let i = 0; i < 2; i++) {
      expect(tryRenderPitch(broken, product, catalog, 'en-US', logger, { variant: 'b' })).toBeUndefined();
    }
    expect(warnings).toEqual([
      { productId: product.id, variant: 'b', err: expect.any(String) },
      { productId: product.id, variant: 'b', err: expect.any(String) },
    ]);
  });
});
