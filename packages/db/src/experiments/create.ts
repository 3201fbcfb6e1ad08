import { randomBytes } from 'node:crypto';
import {
  compareAtDiscount,
  type ExperimentDefinition,
  type ExperimentDefinitionInput,
  experimentDefinitionSchema,
  pitchPlaceholdersOf,
} from '@pitchline/core';
import { and, eq } from 'drizzle-orm';
import type { PitchlineDb, PitchlineTx } from '../open';
import { experiments, experimentVariants, products } from '../schema';
import { checkActor } from './actor';
import { ExperimentError, isUniqueViolation } from './errors';
import { recordHistory } from './history';
import { type ExperimentView, loadExperiment, scopeToColumns } from './view';

/** zod issues as the dashboard shows them: `path: message`. */
export function issueReasons(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}

/**
 * A product scope must name one of this merchant's products, and a variant that says {{discount}}
 * needs that product on sale (a compare-at price above its price): otherwise it could never be
 * spoken. Checked when a draft is saved, edited and started, and when a running variant is reworded.
 * Category and launch scopes cover products with and without a discount; the skill leaves the ones
 * without out of such an experiment (packages/skill/src/dialog/pitch.ts).
 */
export async function checkScope(
  tx: PitchlineTx,
  merchantId: string,
  definition: ExperimentDefinition,
): Promise<void> {
  if (definition.scope.kind !== 'product') return;
  const [product] = await tx
    .select({
      priceAmount: products.priceAmount,
      compareAtAmount: products.compareAtAmount,
      currency: products.currency,
    })
    .from(products)
    .where(and(eq(products.id, definition.scope.productId), eq(products.merchantId, merchantId)));
  if (!product) throw new ExperimentError('invalid', ['scope.productId: no such product in this catalog']);
  const price = { amount: product.priceAmount, currency: product.currency };
  if (compareAtDiscount(price, product.compareAtAmount)) return;
  const reasons = definition.variants.flatMap((v, i) =>
    pitchPlaceholdersOf(v.template).includes('discount')
      ? [
          `variants.${i}.template: {{discount}} needs the product on sale, and it has no compare-at price above its price`,
        ]
      : [],
  );
  if (reasons.length > 0) throw new ExperimentError('invalid', reasons);
}

/**
 * Creates a draft. The salt is random per experiment, so two experiments never split users the same
 * way by accident. Throws ExperimentError: invalid (with every reason) or conflict (key in use).
 */
export async function createExperiment(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  input: ExperimentDefinitionInput,
): Promise<ExperimentView> {
  const parsed = experimentDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new ExperimentError('invalid', issueReasons(parsed.error.issues));
  const definition = parsed.data;
  const now = new Date();
  try {
    return await db.transaction(async (tx) => {
      await checkActor(tx, merchantId, actorMemberId);
      await checkScope(tx, merchantId, definition);
      const [row] = await tx
        .insert(experiments)
        .values({
          merchantId,
          key: definition.key,
          name: definition.name,
          hypothesis: definition.hypothesis,
          ...scopeToColumns(definition.scope),
          primaryMetric: definition.primaryMetric,
          secondaryMetrics: definition.secondaryMetrics,
          guardrailMetrics: definition.guardrailMetrics,
          conversionWindowHours: definition.conversionWindowHours,
          salt: randomBytes(12).toString('base64url'),
          layer: definition.layer,
          holdoutPercent: definition.holdoutPercent,
          mode: definition.mode,
          banditFloor: definition.banditFloor,
          revenueCapQuantile: definition.revenueCapQuantile ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: experiments.id });
      if (!row) throw new Error('insert returned no row');
      await tx
        .insert(experimentVariants)
        .values(definition.variants.map((v) => ({ ...v, experimentId: row.id, version: 1, createdAt: now })));
      await recordHistory(tx, row.id, actorMemberId, 'create', { definition }, now);
      return loadExperiment(tx, merchantId, row.id);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'experiments_merchant_key_unique')) {
      throw new ExperimentError('conflict', [
        `key: an experiment with the key "${definition.key}" already exists`,
      ]);
    }
    throw error;
  }
}
