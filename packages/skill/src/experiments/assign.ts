import { type AssignableExperiment, pickPitchAssignment } from '@pitchline/core';
import type { LiveExperiment, LiveVariant } from './types';

export type SlotAssignment =
  | { kind: 'variant'; experiment: LiveExperiment; variant: LiveVariant; probability: number }
  | { kind: 'holdout'; experiment: LiveExperiment; probability: number }
  | { kind: 'none' };

type Assignable = AssignableExperiment & { live: LiveExperiment };

function assignable(experiment: LiveExperiment): Assignable {
  return {
    key: experiment.key,
    salt: experiment.salt,
    layer: experiment.layer,
    holdoutPercent: experiment.holdoutPercent,
    // Weights as the row holds them now: in bandit mode, the ones the stats job last wrote.
    variants: experiment.variants.map((v) => ({ key: v.key, weight: v.weight })),
    // The stored splits, loaded with the running experiments (no query of their own): a weight
    // change, start or stop then moves only the users it must.
    allocation: experiment.allocation,
    layerAllocation: experiment.layerAllocation,
    startedAt: experiment.startedAt,
    scopeKind: experiment.scope,
    live: experiment,
  };
}

/**
 * The experiment and variant a user hears among a slot's tiers (slot.ts), by core's deterministic
 * assignment (layers, holdout, weights): the first tier with an experiment for the user decides.
 */
export function assignSlot(tiers: readonly (readonly LiveExperiment[])[], userId: string): SlotAssignment {
  for (const tier of tiers) {
    const picked = pickPitchAssignment(tier.map(assignable), userId);
    if (!picked) continue;
    const experiment = picked.experiment.live;
    const { assignment } = picked;
    if (assignment.holdout) return { kind: 'holdout', experiment, probability: assignment.probability };
    const variant = experiment.variants.find((v) => v.key === assignment.variantKey);
    // Unreachable: assignment picks among the variants given.
    if (!variant) throw new Error(`variant ${assignment.variantKey} of ${experiment.key} is not live`);
    return { kind: 'variant', experiment, variant, probability: assignment.probability };
  }
  return { kind: 'none' };
}
