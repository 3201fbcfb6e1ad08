import { createHash } from 'node:crypto';
import {
  type Allocation,
  ASSIGNMENT_BUCKETS,
  allocationCounts,
  allocationOwner,
  byCodeUnits,
  contiguousAllocation,
  type Weighted,
} from './allocation';
import { HOLDOUT_VARIANT_KEY } from './definition';
import { allocationInForce } from './reallocate';

/*
 * Deterministic assignment: no state, no randomness, no clock. The same inputs give the same variant
 * in every process, after every restart, and in any language that has SHA-256, so results can be
 * re-derived offline.
 *
 * 1. Layer. Experiments on one pitch slot share a layer. The layer hashes the user to a bucket
 *    h_L = bucket("layer:<layer>:<user>"), and each bucket belongs to one running experiment of the
 *    layer, so a user is in at most one of them. The layer's allocation (allocation.ts, keyed by
 *    experiment) gives each an equal share; the store updates it minimally when one starts or stops:
 *    a new third experiment takes a third of the layer from the others (not the half a contiguous
 *    re-division moved), a stopping one's users go to the rest and no one else moves. A layer with
 *    no stored allocation (nothing started or stopped in it since they were stored) is divided as
 *    before: equal contiguous ranges by start time, then key. Users who do change experiment keep
 *    their earlier exposures attributed to the experiment they heard then.
 * 2. Holdout. An experiment with a holdout of H % hashes h_H = bucket("<key>:<salt>:holdout:<user>");
 *    h_H < 100·H means the user hears the pitch they would hear without the experiment and is
 *    recorded as variant `holdout` (HOLDOUT_VARIANT_KEY) with probability H/100. A separate hash
 *    keeps the holdout independent of the variant split.
 * 3. Variant. h_V = bucket("<key>:<salt>:<user>"). The experiment's allocation (allocation.ts) says
 *    which variant owns each bucket. It starts as contiguous ranges of [0, 10000) in proportion to
 *    the weights, variants ordered by key (plain code-unit order, not locale order, which differs
 *    between ICU builds) — exactly the stateless layout used before allocations were stored, so no
 *    running experiment's users moved when they were introduced. A weight change then moves only the
 *    buckets shrinking variants give up to growing ones: the fewest users possible (the total
 *    variation distance), however many variants and changes. A new salt reshuffles everyone.
 *
 * bucket(s) = floor(u32(SHA-256(s)) · 10000 / 2^32), u32 = the first 4 bytes as a big-endian
 * integer (UTF-8 input); each bucket then has probability 1/10000 to within 2.4e-10.
 *
 * The probability returned is P(this variant | the user is in this experiment's slice of the layer)
 * = (1 − H/100) · buckets owned / 10000 for a variant, H/100 for the holdout: exactly the share of buckets,
 * so inverse-propensity weights are exact even where integer weights do not divide 10000. The
 * layer's share is not included: it is the same for every variant of the experiment.
 */

/** A uniform bucket in [0, ASSIGNMENT_BUCKETS) for the parts joined with ':'. */
export function assignmentBucket(...parts: string[]): number {
  const digest = createHash('sha256').update(parts.join(':')).digest();
  // Exact integer arithmetic: u32 · 10000 < 2^53, and dividing by 2^32 is exact in a double.
  return Math.floor((digest.readUInt32BE(0) * ASSIGNMENT_BUCKETS) / 2 ** 32);
}

export type WeightedVariant = Weighted;

export interface AssignableExperiment {
  key: string;
  salt: string;
  layer: string;
  /** 0–100. */
  holdoutPercent: number;
  variants: readonly WeightedVariant[];
  /**
   * Which variant owns each bucket (allocation.ts), as stored with the experiment since it started
   * and written in the same transaction as every weight change. Users are split by
   * `allocationInForce(allocation, variants)`: this allocation itself while it agrees with the
   * weights (it always does when the store wrote both); null or absent, the contiguous layout of the
   * weights, exactly how experiments started before allocations were stored are split.
   */
  allocation?: Allocation | null;
  /**
   * How the experiment's layer is divided between the layer's running experiments (keys are
   * experiment keys), as the store rewrites it at every start and stop in the layer. Null or absent:
   * equal contiguous shares in start order (`statelessLayerAllocation`), as before it was stored.
   */
  layerAllocation?: Allocation | null;
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
  const allocation = allocationInForce(experiment.allocation, experiment.variants);
  const variantKey = allocationOwner(allocation, bucket);
  // Unreachable: the allocation in force gives buckets only to the variants given.
  if (!experiment.variants.some((v) => v.key === variantKey))
    throw new Error(`the allocation of "${experiment.key}" names "${variantKey}", not one of its variants`);
  const owned = allocationCounts(allocation).get(variantKey) ?? 0;
  return {
    experimentKey: experiment.key,
    variantKey,
    probability: ((1 - holdout) * owned) / ASSIGNMENT_BUCKETS,
    holdout: false,
  };
}

function startTime(value: AssignableExperiment['startedAt']): number {
  if (value === null) return Number.NEGATIVE_INFINITY;
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

type LayerMember = Pick<AssignableExperiment, 'key' | 'layer' | 'startedAt'>;

function byStartThenKey(a: LayerMember, b: LayerMember): number {
  return startTime(a.startedAt) - startTime(b.startedAt) || byCodeUnits(a.key, b.key);
}

/**
 * The stateless division of a layer between its running experiments: equal, contiguous shares in
 * order of start time then key (keys of the allocation are experiment keys). What every layer used
 * before layer allocations were stored, and what a layer without a stored one still uses.
 */
export function statelessLayerAllocation(experiments: readonly LayerMember[]): Allocation {
  const layers = new Set(experiments.map((e) => e.layer));
  if (layers.size > 1) throw new Error(`experiments of different layers: ${[...layers].join(', ')}`);
  return contiguousAllocation([...experiments].sort(byStartThenKey).map((e) => ({ key: e.key, weight: 1 })));
}

/**
 * The layer allocation to divide these experiments by: the stored one when its owners are exactly
 * these experiments. Otherwise the stateless division among the ones given: before any was stored,
 * and when a slot sees only some of a layer's experiments (a layer named by hand across products or
 * categories: there the layer is re-divided among the ones that apply, as it always was, and those
 * users move between experiments whenever one of them starts or stops).
 */
function layerAllocationFor(experiments: readonly AssignableExperiment[]): Allocation {
  const stored = experiments[0]?.layerAllocation;
  if (stored) {
    const owners = new Set(stored.runs.map(([, key]) => key));
    if (owners.size === experiments.length && experiments.every((e) => owners.has(e.key))) return stored;
  }
  return statelessLayerAllocation(experiments);
}

/** Which of one layer's running experiments the user belongs to (undefined when there are none). */
export function experimentInLayer<E extends AssignableExperiment>(
  experiments: readonly E[],
  userId: string,
): E | undefined {
  const first = experiments[0];
  if (!first) return undefined;
  if (experiments.length === 1) return first;
  const owner = allocationOwner(
    layerAllocationFor(experiments),
    assignmentBucket('layer', first.layer, userId),
  );
  return experiments.find((e) => e.key === owner);
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
