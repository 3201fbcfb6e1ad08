import { z } from 'zod';

/*
 * A persisted allocation: which variant owns each of the ASSIGNMENT_BUCKETS buckets a user's variant
 * hash falls into. Stateless layouts (contiguous ranges in key order) cannot move the fewest users for
 * every sequence of weight changes: 1:1:1 → 1:2:3 moves 33 % of users with ranges where 17 % must
 * move. With the owner of every bucket remembered, a weight change only has shrinking variants release
 * the buckets they lose and growing variants take exactly those, so the share of users who change
 * variant is the total variation distance between the old and new bucket shares — the least possible.
 *
 * Representation: runs of consecutive buckets with one owner, `[end, variantKey]`, each run starting
 * where the previous ends (the first at 0), the last ending at ASSIGNMENT_BUCKETS. Chosen over one
 * owner per bucket because it is what the stateless layout already is (one run per variant), so an
 * experiment running before allocations existed is reproduced exactly by `newAllocation(weights)`;
 * because lookups are a binary search over a short list; and because a history entry can show it.
 * Runs never outnumber buckets, so the stored size is bounded whatever happens. Fragmentation is what
 * could make it large: a shrinking variant that touches no growing one must hand over buckets in the
 * middle of the space. `reallocate` keeps it low by moving boundaries between touching shrinking and
 * growing runs first, giving up a variant's smallest runs first (old fragments are consumed), and
 * rounding so that variants whose share barely moved keep their count (stableBucketCounts). Driven by
 * bandit-like weights for 3,000 rebalances, 10 variants stay under about 40 runs (allocation.test.ts).
 */

/** The bucket space a user's variant (and layer) hash falls into; see assignment.ts. */
export const ASSIGNMENT_BUCKETS = 10_000;
const BUCKETS = ASSIGNMENT_BUCKETS;

export type AllocationRun = readonly [end: number, variantKey: string];

export interface Allocation {
  /** The size of the bucket space the runs tile; always ASSIGNMENT_BUCKETS today, stored to be explicit. */
  buckets: number;
  runs: readonly AllocationRun[];
}

export interface Weighted {
  key: string;
  /** Relative weight, ≥ 0. */
  weight: number;
}

/** Orders keys by UTF-16 code units, as every language can: localeCompare would tie the layout to the ICU data. */
export const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Throws on duplicate keys and on negative, non-finite or all-zero weights. */
export function checkWeights(items: readonly Weighted[]): void {
  const keys = new Set<string>();
  for (const v of items) {
    if (keys.has(v.key)) throw new Error(`key "${v.key}" appears twice`);
    keys.add(v.key);
    if (!Number.isFinite(v.weight) || v.weight < 0) throw new Error(`"${v.key}" has weight ${v.weight}`);
  }
  if (!(items.reduce((sum, v) => sum + v.weight, 0) > 0)) throw new Error('nothing has weight');
}

/**
 * Consecutive runs in the given order, sized by weight: each end is the cumulative share rounded down,
 * the last one exactly the bucket count. This is the layout assignment used before allocations were
 * stored (variants in key order, a layer's experiments in start order), so reproducing it is what
 * keeps the users of experiments that were already running where they are.
 */
export function contiguousAllocation(ordered: readonly Weighted[]): Allocation {
  checkWeights(ordered);
  const total = ordered.reduce((sum, v) => sum + v.weight, 0);
  const runs: AllocationRun[] = [];
  let cumulative = 0;
  let start = 0;
  ordered.forEach((v, i) => {
    cumulative += v.weight;
    // The last end is exactly the bucket count whatever floating point does to the sum.
    const end = i === ordered.length - 1 ? BUCKETS : Math.floor((cumulative / total) * BUCKETS);
    if (end <= start) return;
    runs.push([end, v.key]);
    start = end;
  });
  return { buckets: BUCKETS, runs };
}

/** A new experiment's allocation: contiguous runs in key order (code units, not locale order). */
export function newAllocation(variants: readonly Weighted[]): Allocation {
  return contiguousAllocation([...variants].sort((a, b) => byCodeUnits(a.key, b.key)));
}

/**
 * Whole buckets per variant for the weights, each the share rounded down or up (so within one bucket
 * of the weight), rounding up first the variants that hold at least the rounded-up count already.
 * That keeps a variant whose share barely moved where it is: with cumulative rounding, every change of
 * the total nudges unrelated variants by a bucket, and each such bucket would be a user moved and a
 * new fragment in the allocation.
 */
export function stableBucketCounts(
  variants: readonly Weighted[],
  held: ReadonlyMap<string, number>,
): Map<string, number> {
  checkWeights(variants);
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  const counts = new Map<string, number>();
  const fractional: { key: string; remainder: number; keeps: boolean }[] = [];
  let assigned = 0;
  for (const v of variants) {
    // (w·N)/T rounds correctly; for integer weights its floor is exact (a fractional part is ≥ 1/T).
    const exact = (v.weight * BUCKETS) / total;
    const floor = Math.floor(exact);
    counts.set(v.key, floor);
    assigned += floor;
    if (exact > floor) {
      fractional.push({ key: v.key, remainder: exact - floor, keeps: (held.get(v.key) ?? 0) > floor });
    }
  }
  const roundedUp = BUCKETS - assigned;
  // Unreachable for finite weights: the floors fall short of the total by less than one per share.
  if (roundedUp < 0 || roundedUp > fractional.length) throw new Error('weights do not round to the buckets');
  fractional.sort(
    (a, b) => Number(b.keeps) - Number(a.keeps) || b.remainder - a.remainder || byCodeUnits(a.key, b.key),
  );
  for (const { key } of fractional.slice(0, roundedUp)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The variant owning a bucket: a binary search over the runs. */
export function allocationOwner(allocation: Allocation, bucket: number): string {
  const { runs } = allocation;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bucket < (runs[mid] as AllocationRun)[0]) hi = mid;
    else lo = mid + 1;
  }
  const run = runs[lo];
  if (!run || bucket < 0 || bucket >= run[0]) throw new Error(`bucket ${bucket} is outside the allocation`);
  return run[1];
}

/** Buckets owned per variant key. */
export function allocationCounts(allocation: Allocation): Map<string, number> {
  const out = new Map<string, number>();
  let start = 0;
  for (const [end, key] of allocation.runs) {
    out.set(key, (out.get(key) ?? 0) + end - start);
    start = end;
  }
  return out;
}

/** The number of buckets whose owner differs between two allocations of one experiment. */
export function movedBuckets(before: Allocation, after: Allocation): number {
  checkAllocation(before);
  checkAllocation(after);
  // Walk both run lists at once over the union of their boundaries.
  let moved = 0;
  let start = 0;
  let i = 0;
  let j = 0;
  while (start < BUCKETS) {
    const a = before.runs[i] as AllocationRun;
    const b = after.runs[j] as AllocationRun;
    const end = Math.min(a[0], b[0]);
    if (a[1] !== b[1]) moved += end - start;
    start = end;
    if (a[0] === end) i++;
    if (b[0] === end) j++;
  }
  return moved;
}

/** The share of users whose variant changes between two allocations (holdout aside). */
export function movedFraction(before: Allocation, after: Allocation): number {
  return movedBuckets(before, after) / BUCKETS;
}

export const allocationSchema = z
  .object({
    buckets: z.literal(BUCKETS),
    runs: z
      .array(z.tuple([z.int().min(1).max(BUCKETS), z.string().min(1)]))
      .min(1)
      .max(BUCKETS),
  })
  .refine((a) => a.runs.every((run, i) => i === 0 || run[0] > (a.runs[i - 1] as AllocationRun)[0]), {
    message: 'runs must end in increasing order',
  })
  .refine((a) => a.runs[a.runs.length - 1]?.[0] === BUCKETS, {
    message: 'the last run must end at the bucket count',
  });

/** Throws unless the runs tile the bucket space in order. */
export function checkAllocation(allocation: Allocation): void {
  const result = allocationSchema.safeParse(allocation);
  if (!result.success)
    throw new Error(`invalid allocation: ${result.error.issues.map((i) => i.message).join('; ')}`);
}
