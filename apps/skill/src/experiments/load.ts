import { experiments, experimentVariants, type PitchlineDb } from '@pitchline/db';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { LiveExperiment } from './types';

/**
 * Every running experiment of a merchant with its live variants, in one query. A merchant runs a
 * handful at a time, so the skill loads them all and picks by slot in memory rather than asking the
 * database per slot and per turn.
 */
export async function loadRunningExperiments(db: PitchlineDb, merchantId: string): Promise<LiveExperiment[]> {
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
      startedAt: experiments.startedAt,
      variant: {
        id: experimentVariants.id,
        key: experimentVariants.key,
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
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.status, 'running')))
    // Stable order: assignment walks variants by cumulative weight, so their order must not drift.
    .orderBy(asc(experiments.key), asc(experimentVariants.key));

  const byId = new Map<string, LiveExperiment & { variants: LiveExperiment['variants'][number][] }>();
  for (const { variant, ...experiment } of rows) {
    let entry = byId.get(experiment.id);
    if (!entry) {
      entry = { ...experiment, variants: [] };
      byId.set(experiment.id, entry);
    }
    entry.variants.push(variant);
  }
  return [...byId.values()];
}
