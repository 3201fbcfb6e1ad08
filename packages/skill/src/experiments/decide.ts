import { HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import type { Heard } from '../dialog/session';
import { MAX_HEARD_EXPERIMENTS, MAX_HEARD_PRODUCTS } from '../dialog/session';
import { assignSlot } from './assign';
import { slotTiers } from './slot';
import type { LiveExperiment, LiveVariant, PitchSlot } from './types';

export type PitchDecision =
  | { kind: 'default' }
  | { kind: 'holdout'; experiment: LiveExperiment; probability: number }
  | { kind: 'variant'; experiment: LiveExperiment; variant: LiveVariant; probability: number };

/**
 * What a user hears at a slot. Core's deterministic assignment picks the experiment and variant, so
 * the same user gets the same variant in every session while weights stay put. Within a session, an
 * experiment already heard keeps its variant (and the probability it was assigned with) while that
 * variant still takes traffic: bandit weights may move between two turns, and a shopper should not
 * hear two versions of one pitch in one conversation.
 */
export function decidePitch(
  running: readonly LiveExperiment[],
  slot: PitchSlot,
  userId: string,
  heard: readonly Heard[],
): PitchDecision {
  const assigned = assignSlot(slotTiers(running, slot), userId);
  if (assigned.kind === 'none') return { kind: 'default' };
  const { experiment } = assigned;
  const pinned = heard.find((h) => h.e === experiment.key);
  if (pinned?.v === HOLDOUT_VARIANT_KEY && experiment.holdoutPercent > 0) {
    return { kind: 'holdout', experiment, probability: pinned.p };
  }
  const variant = pinned && experiment.variants.find((v) => v.key === pinned.v && v.weight > 0);
  if (pinned && variant) return { kind: 'variant', experiment, variant, probability: pinned.p };
  return assigned;
}

/**
 * Notes that the decision's pitch was spoken for a product, and says whether that is a new exposure.
 * One exposure per experiment and product per session: a repeated or re-asked pitch tells analysts
 * nothing new and would inflate per-session counts, while a second product of a category experiment
 * is a pitch the shopper had not heard yet. Returns the session's new list (the input is not changed).
 */
export function noteExposure(
  heard: readonly Heard[],
  decision: Exclude<PitchDecision, { kind: 'default' }>,
  productId: string,
): { heard: Heard[]; isNew: boolean } {
  const v = decision.kind === 'holdout' ? HOLDOUT_VARIANT_KEY : decision.variant.key;
  const e = decision.experiment.key;
  const current = heard.find((h) => h.e === e);
  if (current && current.v === v && current.x.includes(productId)) return { heard: [...heard], isNew: false };
  const others = heard.filter((h) => h.e !== e);
  const x = current && current.v === v ? [...current.x, productId].slice(-MAX_HEARD_PRODUCTS) : [productId];
  const entry: Heard = { e, v, p: current && current.v === v ? current.p : decision.probability, x };
  // The oldest experiment falls out when the list is full; its attribution stays in `variants`.
  return { heard: [...others, entry].slice(-MAX_HEARD_EXPERIMENTS), isNew: true };
}
