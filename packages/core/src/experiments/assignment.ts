import { createHash } from 'node:crypto';
import { HOLDOUT_VARIANT_KEY } from './definition';

/*
 * Deterministic assignment: no state, no randomness, no clock. The same inputs give the same variant
 * in every process, after every restart, and in any language that has SHA-256, so results can be
 * re-derived offline.
 *
 * 1. Layer. Experiments on one pitch slot share a layer. The layer hashes the user to a bucket
 *    h_L = bucket("layer:<layer>:<user>"), and the running experiments of the layer own equal,
 *    contiguous bucket ranges (ordered by start time, then key), so a user is in at most one of
 *    them. Starting or stopping an experiment in a layer re-divides it: some users change
 *    experiment (their earlier exposure stays attributed to the first experiment they heard).
 * 2. Holdout. An experiment with a holdout of H % hashes h_H = bucket("<key>:<salt>:holdout:<user>");
 *    h_H < 100·H means the user hears the pitch they would hear without the experiment and is
 *    recorded as variant `holdout` (HOLDOUT_VARIANT_KEY) with probability H/100. A separate hash
 *    keeps the holdout independent of the variant split.
 * 3. Variant. h_V = bucket("<key>:<salt>:<user>"). Variants, ordered by key (plain code-unit order,
 *    not locale order, which differs between ICU builds), own contiguous ranges of [0, 10000) in
 *    proportion to their weights. Changing weights moves only the users in the part of a range
 *    that changes owner: 50/50 → 40/60 moves the 10 % in [4000, 5000). A new salt reshuffles all.
 *
 * bucket(s) = floor(u32(SHA-256(s)) · 10000 / 2^32), u32 = the first 4 bytes as a big-endian
 * integer (UTF-8 input); each bucket then has probability 1/10000 to within 2.4e-10.
 *
 * The probability returned is P(this variant | the user is in this experiment's slice of the layer)
 * = (1 − H/100) · |range| / 10000 for a variant, H/100 for the holdout: exactly the share of buckets,
 * so inverse-propensity weights are exact even where integer weights do not divide 10000. The
 * layer's share is not included: it is the same for every variant of the experiment.
 */

export const ASSIGNMENT_BUCKETS = 10_000;

/** A uniform bucket in [0, ASSIGNMENT_BUCKETS) for the parts joined with ':'. */
export function assignmentBucket(...parts: string[]): number {
  const digest = createHash('sha256').update(parts.join(':')).digest();
  // Exact integer arithmetic: u32 · 10000 < 2^53, and dividing by 2^32 is exact in a double.
  return Math.floor((digest.readUInt32BE(0) * ASSIGNMENT_BUCKETS) / 2 ** 32);
}

export interface WeightedVariant {
  key: string;
  /** Relative weight, ≥ 0; a variant with weight 0 receives no one. */
  weight: number;
}

export interface BucketRange<T> {
  item: T;
  /** Inclusive. */
  start: number;
  /** Exclusive. */
  end: number;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The bucket range each variant owns, in key order. Throws on negative or all-zero weights. */
export function variantRanges<V extends WeightedVariant>(variants: readonly V[]): BucketRange<V>[] {
  const ordered = [...variants].sort((a, b) => byCodeUnits(a.key, b.key));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]?.key === ordered[i - 1]?.key)
      throw new Error(`variant key "${ordered[i]?.key}" appears twice`);
  }
  for (const v of ordered) {
    if (!Number.isFinite(v.weight) || v.weight < 0)
      throw new Error(`variant "${v.key}" has weight ${v.weight}`);
  }
  return contiguousRanges(
    ordered,
    ordered.map((v) => v.weight),
  );
}

/** Consecutive ranges tiling [0, ASSIGNMENT_BUCKETS), in the given order, sized by weight. */
function contiguousRanges<T>(items: readonly T[], weights: readonly number[]): BucketRange<T>[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new Error('nothing has weight');
  let cumulative = 0;
  let start = 0;
  return items.map((item, i) => {
    cumulative += weights[i] ?? 0;
    // The last end is exactly the bucket count whatever floating point does to the sum.
    const end =
      i === items.length - 1 ? ASSIGNMENT_BUCKETS : Math.floor((cumulative / total) * ASSIGNMENT_BUCKETS);
    const range = { item, start, end: Math.max(start, end) };
    start = range.end;
    return range;
  });
}

/**
 * The share of users whose variant changes when weights change from `before` to `after` (holdout
 * aside): the buckets whose owner differs. For the dashboard's "this change moves N % of users".
 */
export function movedFraction(before: readonly WeightedVariant[], after: readonly WeightedVariant[]): number {
  const old = new Map(variantRanges(before).map((r) => [r.item.key, r]));
  let kept = 0;
  for (const range of variantRanges(after)) {
    const prior = old.get(range.item.key);
    if (prior) kept += Math.max(0, Math.min(prior.end, range.end) - Math.max(prior.start, range.start));
  }
  return 1 - kept / ASSIGNMENT_BUCKETS;
}

export interface AssignableExperiment {
  key: string;
  salt: string;
  layer: string;
  /** 0–100. */
  holdoutPercent: number;
  variants: readonly WeightedVariant[];
  /** Orders the experiments of a layer (earlier first, then by key); null sorts first. */
  startedAt: Date | string | number | null;
  /** For choosing between layers on one slot: the more specific scope speaks. */
  scopeKind?: 'product' | 'category' | 'launch';
}

export interface Assignment {
  experimentKey: string;
  /** A variant key, or HOLDOUT_VARIANT_KEY. */
  variantKey: string;
  /** What `pitch_exposure.assignment_probability` records (see the top of this file). */
  probability: number;
  holdout: boolean;
}

/** The variant (or holdout) of one experiment for a user, ignoring layers. */
export function assignVariant(experiment: AssignableExperiment, userId: string): Assignment {
  const holdout = experiment.holdoutPercent / 100;
  if (holdout > 0) {
    const h = assignmentBucket(experiment.key, experiment.salt, HOLDOUT_VARIANT_KEY, userId);
    if (h < experiment.holdoutPercent * (ASSIGNMENT_BUCKETS / 100)) {
      return {
        experimentKey: experiment.key,
        variantKey: HOLDOUT_VARIANT_KEY,
        probability: holdout,
        holdout: true,
      };
    }
  }
  const bucket = assignmentBucket(experiment.key, experiment.salt, userId);
  const range = variantRanges(experiment.variants).find((r) => bucket >= r.start && bucket < r.end);
  // Unreachable: the ranges tile [0, ASSIGNMENT_BUCKETS).
  if (!range) throw new Error(`bucket ${bucket} has no variant in "${experiment.key}"`);
  return {
    experimentKey: experiment.key,
    variantKey: range.item.key,
    probability: ((1 - holdout) * (range.end - range.start)) / ASSIGNMENT_BUCKETS,
    holdout: false,
  };
}

function startTime(value: AssignableExperiment['startedAt']): number {
  if (value === null) return Number.NEGATIVE_INFINITY;
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

function byStartThenKey(a: AssignableExperiment, b: AssignableExperiment): number {
  return startTime(a.startedAt) - startTime(b.startedAt) || byCodeUnits(a.key, b.key);
}

/** The bucket range of the layer each experiment owns: equal shares, by start time then key. */
export function layerRanges<E extends AssignableExperiment>(experiments: readonly E[]): BucketRange<E>[] {
  const layers = new Set(experiments.map((e) => e.layer));
  if (layers.size > 1) throw new Error(`experiments of different layers: ${[...layers].join(', ')}`);
  const ordered = [...experiments].sort(byStartThenKey);
  return contiguousRanges(
    ordered,
    ordered.map(() => 1),
  );
}

/** Which of one layer's running experiments the user belongs to (undefined when there are none). */
export function experimentInLayer<E extends AssignableExperiment>(
  experiments: readonly E[],
  userId: string,
): E | undefined {
  const first = experiments[0];
  if (!first) return undefined;
  if (experiments.length === 1) return first;
  const bucket = assignmentBucket('layer', first.layer, userId);
  return layerRanges(experiments).find((r) => bucket >= r.start && bucket < r.end)?.item;
}

const SPECIFICITY = { product: 0, category: 1, launch: 2 } as const;

/**
 * The pitch a user hears on a slot, given the running experiments that apply to it (for a product:
 * those on the product and on its category). Each layer contributes the one experiment the user
 * belongs to; when several layers do, the most specific scope speaks (product before category),
 * then the earliest started. Undefined when no experiment applies: speak the default pitch.
 */
export function pickPitchAssignment<E extends AssignableExperiment>(
  experiments: readonly E[],
  userId: string,
): { experiment: E; assignment: Assignment } | undefined {
  const layers = new Map<string, E[]>();
  for (const e of experiments) {
    const list = layers.get(e.layer);
    if (list) list.push(e);
    else layers.set(e.layer, [e]);
  }
  const candidates: E[] = [];
  for (const list of layers.values()) {
    const chosen = experimentInLayer(list, userId);
    if (chosen) candidates.push(chosen);
  }
  const rank = (e: E) => (e.scopeKind ? SPECIFICITY[e.scopeKind] : 3);
  const [experiment] = candidates.sort((a, b) => rank(a) - rank(b) || byStartThenKey(a, b));
  return experiment && { experiment, assignment: assignVariant(experiment, userId) };
}
