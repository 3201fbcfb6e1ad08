import type { Allocation, AssignableExperiment, ExperimentMode, ExperimentScopeKind } from '@pitchline/core';
import { and, asc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PitchlineDb } from '../open';
import { experimentLayers, experiments, experimentVariants } from '../schema';
import { byKey } from './view';

/** Where the skill is about to speak a pitch. */
export type PitchSlotQuery =
  /** A product's details: experiments on the product and on its category. */
  | { kind: 'product'; productId: string; category?: string }
  | { kind: 'category'; category: string }
  /** The launch greeting's pitch. */
  | { kind: 'launch' };

export interface RunningVariant {
  id: string;
  key: string;
  name: string;
  template: string;
  weight: number;
  isControl: boolean;
  version: number;
}

/** A running experiment, ready for core's pickPitchAssignment (it is an AssignableExperiment). */
export interface RunningExperiment extends AssignableExperiment {
  id: string;
  key: string;
  scope: ExperimentScopeKind;
  scopeKind: ExperimentScopeKind;
  /** Product id, category name, or '' for the launch slot. */
  scopeValue: string;
  mode: ExperimentMode;
  banditFloor: number;
  conversionWindowHours: number;
  startedAt: Date | null;
  /** Live versions, in key order. */
  variants: RunningVariant[];
  /** Which variant owns each bucket; null: started before it was stored (see AssignableExperiment). */
  allocation: Allocation | null;
  /** How the experiment's layer is divided; null: nothing started or stopped in it since it was stored. */
  layerAllocation: Allocation | null;
}

/**
 * Every running experiment of a merchant with its live variants and current weights, in one query and
 * in start order. A merchant runs a handful at a time, so the skill loads them all (and caches them) and
 * picks by slot in memory rather than asking the database per slot and per turn.
 */
export function runningExperiments(db: PitchlineDb, merchantId: string): Promise<RunningExperiment[]> {
  return selectRunning(db, merchantId, undefined);
}

/**
 * The merchant's running experiments that apply to a pitch slot, with their live variants and
 * current weights (a bandit's latest), in start order. Categories match case-insensitively.
 */
export async function runningExperimentsFor(
  db: PitchlineDb,
  merchantId: string,
  { scope }: { scope: PitchSlotQuery },
): Promise<RunningExperiment[]> {
  const category = (name: string) =>
    and(eq(experiments.scope, 'category'), sql`lower(${experiments.scopeValue}) = lower(${name})`);
  const applies =
    scope.kind === 'launch'
      ? eq(experiments.scope, 'launch')
      : scope.kind === 'category'
        ? category(scope.category)
        : or(
            and(eq(experiments.scope, 'product'), eq(experiments.scopeValue, scope.productId)),
            scope.category === undefined ? undefined : category(scope.category),
          );
  return selectRunning(db, merchantId, applies);
}

async function selectRunning(
  db: PitchlineDb,
  merchantId: string,
  applies: SQL | undefined,
): Promise<RunningExperiment[]> {
  const rows = await db
    .select({
      id: experiments.id,
      key: experiments.key,
      scope: experiments.scope,
      scopeValue: experiments.scopeValue,
      salt: experiments.salt,
      layer: experiments.layer,
      holdoutPercent: experiments.holdoutPercent,
      mode: experiments.mode,
      banditFloor: experiments.banditFloor,
      conversionWindowHours: experiments.conversionWindowHours,
      startedAt: experiments.startedAt,
      allocation: experiments.allocation,
      layerAllocation: experimentLayers.allocation,
      variant: {
        id: experimentVariants.id,
        key: experimentVariants.key,
        name: experimentVariants.name,
        template: experimentVariants.template,
        weight: experimentVariants.weight,
        isControl: experimentVariants.isControl,
        version: experimentVariants.version,
      },
    })
    .from(experiments)
    .innerJoin(
      experimentVariants,
      and(eq(experimentVariants.experimentId, experiments.id), isNull(experimentVariants.retiredAt)),
    )
    // The layer's allocation rides along in the same query: assignment needs no second one.
    .leftJoin(
      experimentLayers,
      and(
        eq(experimentLayers.merchantId, experiments.merchantId),
        eq(experimentLayers.layer, experiments.layer),
      ),
    )
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.status, 'running'), applies))
    .orderBy(asc(experiments.startedAt), asc(experiments.id));

  const byId = new Map<string, RunningExperiment>();
  for (const { variant, ...row } of rows) {
    let entry = byId.get(row.id);
    if (!entry) {
      entry = { ...row, scopeKind: row.scope, variants: [] };
      byId.set(row.id, entry);
    }
    entry.variants.push(variant);
  }
  for (const e of byId.values()) e.variants.sort(byKey);
  return [...byId.values()];
}
