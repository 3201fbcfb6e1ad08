import { experimentDefinitionSchema, type LifecycleAction, newAllocation, transition } from '@pitchline/core';
import { eq } from 'drizzle-orm';
import type { PitchlineDb } from '../open';
import { type Experiment, experiments } from '../schema';
import { checkActor } from './actor';
import { reallocateLayer } from './allocation';
import { checkScope, issueReasons } from './create';
import { ExperimentError, isUuid, notFound } from './errors';
import { recordHistory } from './history';
import { definitionOf, type ExperimentView, loadExperiment } from './view';

async function move(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
  action: LifecycleAction,
  shippedVariantKey?: string,
): Promise<ExperimentView> {
  if (!isUuid(id)) throw notFound();
  return db.transaction(async (tx) => {
    const current = await loadExperiment(tx, merchantId, id, { lock: true });
    await checkActor(tx, merchantId, actorMemberId);
    const liveVariantKeys = current.variants.map((v) => v.key);
    const result = transition(current.status, action, { shippedVariantKey, liveVariantKeys });
    if (!result.ok) throw new ExperimentError('conflict', [result.reason]);
    if (action === 'start') {
      // Rules may have tightened since the draft was saved (e.g. the SSML validator): check again.
      const check = experimentDefinitionSchema.safeParse(definitionOf(current));
      if (!check.success) throw new ExperimentError('invalid', issueReasons(check.error.issues));
      // The product may have gone off sale since: a {{discount}} variant could not be spoken.
      await checkScope(tx, merchantId, check.data);
    }
    const now = new Date();
    const set: Partial<Experiment> = { status: result.to, updatedAt: now };
    const details: Record<string, unknown> = { from: current.status, to: result.to };
    if (action === 'start') {
      set.startedAt = now;
      // The split starts as contiguous ranges of the weights; weight changes then move it minimally.
      set.allocation = newAllocation(current.variants);
      details.variants = current.variants.map(({ key, version, weight }) => ({ key, version, weight }));
      details.allocation = set.allocation;
    } else if (action === 'stop') set.stoppedAt = now;
    else {
      const shipped = current.variants.find((v) => v.key === shippedVariantKey);
      if (!shipped) throw new Error('transition accepted an unknown variant');
      set.concludedAt = now;
      set.shippedVariantId = shipped.id;
      details.shipped = { key: shipped.key, variantId: shipped.id, version: shipped.version };
    }
    await tx.update(experiments).set(set).where(eq(experiments.id, id));
    // Starting or stopping re-divides the experiment's layer (its siblings' users move too, minimally).
    if (action !== 'conclude') {
      const change =
        action === 'start'
          ? { started: current.key }
          : { stopped: { key: current.key, layer: current.layer, startedAt: current.startedAt } };
      details.layer = {
        name: current.layer,
        ...(await reallocateLayer(tx, merchantId, current.layer, change)),
      };
    }
    await recordHistory(tx, id, actorMemberId, action, details, now);
    return loadExperiment(tx, merchantId, id);
  });
}

/** draft → running. Throws ExperimentError: not_found, conflict (wrong state), invalid. */
export function startExperiment(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
) {
  return move(db, merchantId, actorMemberId, id, 'start');
}

/** running → stopped: the skill stops speaking its variants; results stay readable. */
export function stopExperiment(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
) {
  return move(db, merchantId, actorMemberId, id, 'stop');
}

/** stopped → concluded, recording the shipped variant (its live version). */
export function concludeExperiment(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
  shippedVariantKey: string,
) {
  return move(db, merchantId, actorMemberId, id, 'conclude', shippedVariantKey);
}
