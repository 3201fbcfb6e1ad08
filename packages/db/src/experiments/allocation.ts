import {
  type Allocation,
  allocationInForce,
  movedFraction,
  newAllocation,
  reallocate,
  statelessLayerAllocation,
  type WeightedVariant,
} from '@pitchline/core';
import { and, eq, sql } from 'drizzle-orm';
import type { PitchlineTx } from '../open';
import { experimentLayers, experiments } from '../schema';

/*
 * The allocations assignment reads (core's allocation.ts): which variant owns each bucket of an
 * experiment, and which experiment owns each bucket of a layer. Both are rewritten only here, in the
 * transaction of the change that moves them, so a weight change, a start or a stop moves the fewest
 * users possible and no reader ever sees weights without their allocation.
 */

/** What a change did to an allocation, as the experiment's history records it. */
export interface AllocationChange {
  from: Allocation | null;
  to: Allocation | null;
  /** The share of the space whose owner changed (users moved); 0 when there was nothing before. */
  movedFraction: number;
}

/**
 * A running experiment's variant allocation after its weights change to `variants`, moved from the
 * one users are split by now (core's allocationInForce: the stored one, or for an experiment started
 * before allocations were stored, the contiguous layout of its weights).
 */
export function reallocateVariants(
  experiment: { allocation: Allocation | null; variants: readonly WeightedVariant[] },
  variants: readonly WeightedVariant[],
): AllocationChange & { to: Allocation } {
  const from = allocationInForce(experiment.allocation, experiment.variants);
  const to = reallocate(from, variants);
  return { from, to, movedFraction: movedFraction(from, to) };
}

/**
 * Re-divides a layer after one of its experiments started or stopped; the transition's new status
 * is already written in this transaction. Every running experiment of the layer gets an equal share,
 * moved minimally from the stored allocation (or, the first time, from the stateless division the
 * skill used until now). Concurrent starts and stops in one layer take turns on an advisory lock, and
 * each reads the running set only once it holds it, so two experiments never get the same buckets.
 */
export async function reallocateLayer(
  tx: PitchlineTx,
  merchantId: string,
  layer: string,
  change: { started: string } | { stopped: { key: string; layer: string; startedAt: Date | null } },
): Promise<AllocationChange> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`experiment_layer:${merchantId}:${layer}`}, 0))`,
  );
  const running = await tx
    .select({ key: experiments.key, layer: experiments.layer, startedAt: experiments.startedAt })
    .from(experiments)
    .where(
      and(
        eq(experiments.merchantId, merchantId),
        eq(experiments.layer, layer),
        eq(experiments.status, 'running'),
      ),
    );
  const where = and(eq(experimentLayers.merchantId, merchantId), eq(experimentLayers.layer, layer));
  const [row] = await tx
    .select({ allocation: experimentLayers.allocation })
    .from(experimentLayers)
    .where(where);
  const before =
    'started' in change ? running.filter((e) => e.key !== change.started) : [...running, change.stopped];
  const from = row?.allocation ?? (before.length > 0 ? statelessLayerAllocation(before) : null);
  const shares = running.map((e) => ({ key: e.key, weight: 1 }));
  const to = shares.length === 0 ? null : from ? reallocate(from, shares) : newAllocation(shares);
  if (to) {
    await tx
      .insert(experimentLayers)
      .values({ merchantId, layer, allocation: to })
      .onConflictDoUpdate({
        target: [experimentLayers.merchantId, experimentLayers.layer],
        set: { allocation: to, updatedAt: new Date() },
      });
  } else {
    await tx.delete(experimentLayers).where(where);
  }
  return { from, to, movedFraction: from && to ? movedFraction(from, to) : 0 };
}
