import { merchants, type PitchlineDb, products, skills } from '@pitchline/db';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Catalog } from './types';

/** A merchant's active catalog, featured products first (they lead launch pitches and listings). */
export async function loadCatalog(db: PitchlineDb, merchantId: string): Promise<Catalog> {
  const [merchant] = await db
    .select({ name: merchants.name, currency: merchants.currency })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .limit(1);
  if (!merchant) throw new Error(`merchant ${merchantId} not found`);
  const rows = await db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      category: products.category,
      priceAmount: products.priceAmount,
      compareAtAmount: products.compareAtAmount,
      currency: products.currency,
      featured: products.featured,
      defaultPitch: products.defaultPitch,
      synonyms: products.synonyms,
    })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.active, true)))
    .orderBy(desc(products.featured), asc(products.name));
  return { merchantId, merchantName: merchant.name, currency: merchant.currency, products: rows };
}

/**
 * Which merchant owns an Alexa skill id, and that merchant's payment mode (carried here so checkout
 * reads it from the skill directory's cache instead of a query of its own); null for a skill we do
 * not serve.
 */
export async function resolveSkillMerchant(db: PitchlineDb, skillId: string): Promise<SkillOwner | null> {
  const [row] = await db
    .select({ merchantId: skills.merchantId, paymentMode: merchants.paymentMode })
    .from(skills)
    .innerJoin(merchants, eq(merchants.id, skills.merchantId))
    .where(eq(skills.id, skillId))
    .limit(1);
  return row ?? null;
}

export interface SkillOwner {
  merchantId: string;
  paymentMode: 'simulated' | 'stripe';
}
