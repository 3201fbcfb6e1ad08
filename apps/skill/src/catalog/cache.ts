import { merchants, type PitchlineDb, products } from '@pitchline/db';
import { and, count, eq, max } from 'drizzle-orm';
import { loadCatalog } from './load';
import type { Catalog } from './types';

export interface CatalogCache {
  get(merchantId: string): Promise<Catalog>;
}

/**
 * Loading a catalog and indexing it for matching costs far more than asking whether it changed.
 * Each request asks (one small aggregate query, so a merchant's edit is heard on the very next
 * turn) and reloads only when the answer differs. Entries are per merchant and few.
 */
export function createCatalogCache(db: PitchlineDb, maxMerchants = 1000): CatalogCache {
  const entries = new Map<string, { version: string; catalog: Catalog }>();
  return {
    async get(merchantId) {
      const [row] = await db
        .select({
          name: merchants.name,
          currency: merchants.currency,
          products: count(products.id),
          updated: max(products.updatedAt),
          created: max(products.createdAt),
        })
        .from(merchants)
        .leftJoin(products, and(eq(products.merchantId, merchants.id), eq(products.active, true)))
        .where(eq(merchants.id, merchantId))
        .groupBy(merchants.id);
      const version = row ? JSON.stringify(row) : 'missing';
      const hit = entries.get(merchantId);
      if (hit && hit.version === version) return hit.catalog;
      const catalog = await loadCatalog(db, merchantId);
      if (entries.size >= maxMerchants) entries.delete(entries.keys().next().value as string);
      entries.set(merchantId, { version, catalog });
      return catalog;
    },
  };
}
