import { merchants, type PitchlineDb, products } from '@pitchline/db';
import { and, count, eq, max } from 'drizzle-orm';
import { loadCatalog } from './load';
import type { Catalog } from './types';

export interface CatalogCache {
  get(merchantId: string): Promise<Catalog>;
}

export interface CatalogCacheOptions {
  maxMerchants?: number;
  /** How long a catalog is served without asking whether it changed. Default 2 s, like experiments. */
  checkIntervalMs?: number;
  now?: () => number;
}

interface Entry {
  version: string;
  catalog: Catalog;
  checkedAt: number;
  /** A version check in flight: concurrent turns of one merchant share it. */
  checking?: Promise<Catalog>;
}

/**
 * Loading a catalog and indexing it for matching costs far more than asking whether it changed, and
 * asking costs a query — on the hot path of every turn. So a catalog is served from memory for a couple
 * of seconds, then one small aggregate query decides whether to reload: a merchant's edit is heard
 * within the check interval. Entries are per merchant and few.
 */
export function createCatalogCache(db: PitchlineDb, options: CatalogCacheOptions = {}): CatalogCache {
  const maxMerchants = options.maxMerchants ?? 1000;
  const checkIntervalMs = options.checkIntervalMs ?? 2_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  async function refresh(merchantId: string, previous: Entry | undefined): Promise<Catalog> {
    const checkedAt = now();
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
    if (previous && previous.version === version) {
      entries.set(merchantId, { version, catalog: previous.catalog, checkedAt });
      return previous.catalog;
    }
    const catalog = await loadCatalog(db, merchantId);
    if (!entries.has(merchantId) && entries.size >= maxMerchants) {
      entries.delete(entries.keys().next().value as string);
    }
    entries.set(merchantId, { version, catalog, checkedAt });
    return catalog;
  }

  return {
    get(merchantId) {
      const hit = entries.get(merchantId);
      if (hit && now() - hit.checkedAt < checkIntervalMs) return Promise.resolve(hit.catalog);
      if (hit?.checking) return hit.checking;
      const checking = refresh(merchantId, hit).finally(() => {
        const current = entries.get(merchantId);
        if (current?.checking === checking) delete current.checking;
      });
      if (hit) hit.checking = checking;
      return checking;
    },
  };
}
