import { type ClickHouseHandle, experimentResults } from '@pitchline/analytics';
import type { Logger } from '@pitchline/core';
import { stats } from '@pitchline/core';
import { experiments, getExperiment, type PitchlineDb, setVariantWeights } from '@pitchline/db';
import { and, eq } from 'drizzle-orm';

/** Weights are stored as positive integers; basis points keep a 5 % floor exact enough. */
const WEIGHT_SCALE = 10_000;

export type RebalanceOutcome = { experimentId: string; weights: Record<string, number>; changed: boolean };

/**
 * Bandit mode: moves traffic toward the variants most likely to be best, by top-two Thompson sampling
 * over each variant's users and paid conversions so far (add-to-carts when that is the primary metric;
 * revenue experiments use paid conversion too, since the sampler models a yes/no outcome). Every variant
 * keeps the experiment's floor, so none starves. The skill logs the weight in force with each exposure,
 * and the results estimate by inverse-propensity weighting, so shifting traffic does not bias them.
 * Each change goes through the repository, so it is recorded in the experiment's history (actor: system),
 * and the stored allocation moves with it in the same transaction: only the users the new weights must
 * move change variant (the total variation distance), not the ones a re-laid-out split would move —
 * every 15 minutes that difference would churn users between variants.
 */
export async function rebalanceBandits(deps: {
  db: PitchlineDb;
  ch: ClickHouseHandle;
  now?: () => Date;
  logger?: Pick<Logger, 'info' | 'warn'>;
}): Promise<RebalanceOutcome[]> {
  const now = deps.now ?? (() => new Date());
  const running = await deps.db
    .select({ id: experiments.id, merchantId: experiments.merchantId })
    .from(experiments)
    .where(and(eq(experiments.status, 'running'), eq(experiments.mode, 'bandit')));

  const outcomes: RebalanceOutcome[] = [];
  for (const { id, merchantId } of running) {
    try {
      const experiment = await getExperiment(deps.db, merchantId, id);
      if (!experiment?.startedAt) continue;
      const results = await experimentResults(deps.ch, {
        merchantId,
        experiment: { ...experiment, startedAt: experiment.startedAt },
        now: now(),
      });
      const byKey = new Map(results.variants.map((v) => [v.key, v]));
      const arms = experiment.variants.map((v) => {
        const r = byKey.get(v.key);
        const users = r?.exposedUsers ?? 0;
        const successes = Math.min(
          users,
          experiment.primaryMetric === 'add_to_cart' ? (r?.addToCarts ?? 0) : (r?.conversions ?? 0),
        );
        return { successes, failures: users - successes };
      });
      const shares = stats.topTwoThompsonWeights(arms, { floor: experiment.banditFloor });
      const weights = toIntegerWeights(shares, experiment.banditFloor);
      const proposed = Object.fromEntries(experiment.variants.map((v, i) => [v.key, weights[i] as number]));
      const changed = experiment.variants.some((v) => v.weight !== proposed[v.key]);
      if (changed) await setVariantWeights(deps.db, merchantId, null, id, proposed);
      outcomes.push({ experimentId: id, weights: proposed, changed });
      deps.logger?.info({ experimentId: id, weights: proposed, changed }, 'bandit rebalanced');
    } catch (error) {
      // One experiment's failure (analytics down, a concurrent edit) must not stop the others.
      deps.logger?.warn({ err: error, experimentId: id }, 'bandit rebalance failed');
    }
  }
  return outcomes;
}

/** Shares → positive integers whose shares still respect the floor after rounding. */
export function toIntegerWeights(shares: readonly number[], floor: number): number[] {
  const ints = shares.map((s) => Math.max(1, Math.round(s * WEIGHT_SCALE)));
  for (let pass = 0; pass < ints.length; pass++) {
    const total = ints.reduce((a, b) => a + b, 0);
    let bumped = false;
    for (let i = 0; i < ints.length; i++) {
      if ((ints[i] as number) < floor * total) {
        ints[i] = Math.ceil(floor * total) + 1;
        bumped = true;
      }
    }
    if (!bumped) break;
  }
  return ints;
}
