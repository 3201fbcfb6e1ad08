import { createHash } from 'node:crypto';
import { newId, validatePitchTemplate } from '@pitchline/core';
import {
  experimentHistoryEntries,
  experiments,
  experimentVariants,
  hashAccessToken,
  linkedCustomers,
  merchants,
  type PitchlineDb,
  products,
  skills,
} from '@pitchline/db';
import { and, eq } from 'drizzle-orm';
import type { ExperimentConfig } from './config';
import type { Shopper } from './plan';

/*
 * What must exist before shoppers can act out a replay: the merchant behind the skill, the demo
 * experiment, and the shoppers' account links. These are configuration (what a merchant and the
 * OAuth side write), not history: every event and order still comes from the skill's handlers.
 */

/** The merchant behind a skill, and its time zone (the daily traffic curve is in local hours). */
export async function merchantOfSkill(
  db: PitchlineDb,
  skillId: string,
): Promise<{ merchantId: string; timeZone: string }> {
  const [row] = await db
    .select({ merchantId: skills.merchantId, timeZone: merchants.timezone })
    .from(skills)
    .innerJoin(merchants, eq(merchants.id, skills.merchantId))
    .where(eq(skills.id, skillId))
    .limit(1);
  if (!row) throw new Error(`no skill ${skillId}: seed the demo merchant first (SEED_DEMO=true)`);
  return row;
}

/**
 * The experiment, running since `startedAt`, created unless the merchant already has one with its
 * key (then it is left as it is). Written here rather than through the experiments repository because
 * a replayed experiment must have started when its replayed history starts (the repository stamps the
 * wall clock), and its salt comes from the seed so the same config assigns the same shoppers alike.
 */
export async function ensureExperiment(
  db: PitchlineDb,
  merchantId: string,
  experiment: ExperimentConfig,
  options: { startedAt: Date; seed: string | number },
): Promise<{ id: string; created: boolean; startedAt: number }> {
  const [existing] = await db
    .select({ id: experiments.id, startedAt: experiments.startedAt })
    .from(experiments)
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.key, experiment.key)))
    .limit(1);
  if (existing) {
    return {
      id: existing.id,
      created: false,
      startedAt: existing.startedAt?.getTime() ?? options.startedAt.getTime(),
    };
  }

  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.name, experiment.productName)))
    .limit(1);
  if (!product) throw new Error(`experiment ${experiment.key}: no product named ${experiment.productName}`);
  for (const v of experiment.variants) {
    const check = validatePitchTemplate(v.template);
    if (!check.ok) {
      throw new Error(`variant ${v.key}: ${check.errors.map((e) => e.message).join('; ')}`);
    }
  }
  if (experiment.variants.filter((v) => v.isControl).length !== 1) {
    throw new Error(`experiment ${experiment.key}: exactly one variant must be the control`);
  }

  const id = newId();
  const at = options.startedAt;
  await db.transaction(async (tx) => {
    await tx.insert(experiments).values({
      id,
      merchantId,
      key: experiment.key,
      name: experiment.name,
      hypothesis: experiment.hypothesis,
      scope: 'product',
      scopeValue: product.id,
      status: 'running',
      primaryMetric: 'conversion',
      // C's extra stops show as a secondary metric: as a guardrail they would stop the whole experiment
      // before B, the true winner, could be shipped, and the demo is about reaching that verdict.
      secondaryMetrics: ['add_to_cart', 'revenue_per_user', 'stop_after_pitch'],
      guardrailMetrics: ['fallback_rate'],
      conversionWindowHours: 24,
      salt: createHash('sha256')
        .update(`${options.seed}\u0000${experiment.key}`)
        .digest('base64url')
        .slice(0, 16),
      createdAt: at,
      updatedAt: at,
      startedAt: at,
    });
    await tx.insert(experimentVariants).values(
      experiment.variants.map((v) => ({
        id: newId(),
        experimentId: id,
        key: v.key,
        name: v.name,
        template: v.template,
        weight: v.weight,
        isControl: v.isControl,
        version: 1,
        createdAt: at,
      })),
    );
    await tx.insert(experimentHistoryEntries).values([
      { id: newId(), experimentId: id, at, action: 'create', details: { by: 'simulator' } },
      { id: newId(), experimentId: id, at, action: 'start', details: { from: 'draft', to: 'running' } },
    ]);
  });
  return { id, created: true, startedAt: at.getTime() };
}

/**
 * Account links for the shoppers who linked one, each with its test card, as the OAuth side would
 * have saved them. Batched: a replay links thousands of shoppers.
 */
export async function linkShoppers(db: PitchlineDb, merchantId: string, shoppers: readonly Shopper[]) {
  const rows = shoppers
    .filter((s): s is Shopper & { accessToken: string } => s.accessToken !== undefined)
    .map((s) => ({
      id: newId(),
      merchantId,
      accessTokenHash: hashAccessToken(s.accessToken),
      stripeCustomerId: `cus_sim_${createHash('sha256').update(s.accessToken).digest('hex').slice(0, 14)}`,
      defaultPaymentMethodId: s.card,
      name: `Simulated shopper ${s.index}`,
    }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(linkedCustomers)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing({ target: linkedCustomers.accessTokenHash });
  }
  return rows.length;
}
