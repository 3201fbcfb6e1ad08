import type { Product } from '@pitchline/db';

/** What the dialog needs of a product: the catalog row minus bookkeeping columns. */
export type CatalogProduct = Pick<
  Product,
  | 'id'
  | 'name'
  | 'description'
  | 'category'
  | 'priceAmount'
  | 'currency'
  | 'featured'
  | 'defaultPitch'
  | 'synonyms'
> &
  // Optional so product literals in tests need not spell it out: absent means not on sale.
  Partial<Pick<Product, 'compareAtAmount'>>;

/** One merchant's active catalog, loaded once per request. */
export interface Catalog {
  merchantId: string;
  merchantName: string;
  currency: string;
  products: readonly CatalogProduct[];
}

export function findProduct(catalog: Catalog, id: string | undefined): CatalogProduct | undefined {
  return id === undefined ? undefined : catalog.products.find((p) => p.id === id);
}

/** Distinct categories, in catalog order (featured products first, as load.ts sorts them). */
export function categoriesOf(catalog: Catalog): string[] {
  return [...new Set(catalog.products.map((p) => p.category))];
}
