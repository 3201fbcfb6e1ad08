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
function checkWeights(items: readonly Weighted[]): void {
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

const inForce = new WeakMap<Allocation, { weights: string; allocation: Allocation }>();

/**
 * The allocation that splits users for these weights: the stored one moved minimally to them. The
 * store writes both together, and then this is the stored allocation itself (reallocating to the
 * weights it was made for moves nothing). Weights written without it (by hand in SQL, or by a test)
 * still take effect, identically in every process. No stored allocation: the contiguous layout of the
 * weights, as experiments started before allocations were stored have always been split. Memoized per
 * stored object, since the skill asks on every pitch with the same cached experiment.
 */
export function allocationInForce(
  stored: Allocation | null | undefined,
  variants: readonly Weighted[],
): Allocation {
  if (!stored) return newAllocation(variants);
  const weights = variants.map((v) => `${v.key}=${v.weight}`).join(',');
  const hit = inForce.get(stored);
  if (hit?.weights === weights) return hit.allocation;
  const allocation = reallocate(stored, variants);
  inForce.set(stored, { weights, allocation });
  return allocation;
}

interface Segment {
  start: number;
  end: number;
  /** null while released and not yet taken. */
  owner: string | null;
}

const length = (s: Segment) => s.end - s.start;

/**
 * The allocation after a weight change that moves the fewest users: every variant ends with exactly
 * its `stableBucketCounts` share (within one bucket of its weight), each shrinking variant gives up only the buckets it loses, and only growing
 * variants receive them. Variants missing from `variants` release everything; new ones only grow.
 * Deterministic: the same inputs give the same runs in every process.
 */
export function reallocate(previous: Allocation, variants: readonly Weighted[]): Allocation {
  checkAllocation(previous);
  const segments: Segment[] = toSegments(previous);
  const held = allocationCounts(previous);
  const target = stableBucketCounts(variants, held);
  const needs = new Map<string, number>();
  for (const [key, buckets] of target) {
    const gain = buckets - (held.get(key) ?? 0);
    if (gain > 0) needs.set(key, gain);
  }
  const excesses = new Map<string, number>();
  for (const [key, buckets] of held) {
    const loss = buckets - (target.get(key) ?? 0);
    if (loss > 0) excesses.set(key, loss);
  }
  const isGrower = (owner: string | null) => owner !== null && (needs.get(owner) ?? 0) > 0;
  const isShrinker = (owner: string | null) => owner !== null && (excesses.get(owner) ?? 0) > 0;

  // First, where a shrinking variant's run touches a growing variant's run, move the boundary
  // between them: no new run is made, and a run given up whole merges with its neighbour. The
  // smallest needs first (a variant nudged by a bucket is served by a neighbour, not by an island
  // elsewhere), then the smallest shrinking run (fragments left by earlier changes go first).
  for (;;) {
    let best: { i: number; side: -1 | 1; need: number } | undefined;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      if (!isShrinker(s.owner)) continue;
      for (const side of [-1, 1] as const) {
        if (!isGrower(segments[i + side]?.owner ?? null)) continue;
        const need = needs.get((segments[i + side] as Segment).owner as string) ?? 0;
        const current = best && (segments[best.i] as Segment);
        if (!best || !current || need < best.need || (need === best.need && length(s) < length(current)))
          best = { i, side, need };
      }
    }
    if (!best) break;
    const s = segments[best.i] as Segment;
    const neighbour = segments[best.i + best.side] as Segment;
    const from = s.owner as string;
    const to = neighbour.owner as string;
    const amount = Math.min(excesses.get(from) ?? 0, needs.get(to) ?? 0, length(s));
    excesses.set(from, (excesses.get(from) ?? 0) - amount);
    needs.set(to, (needs.get(to) ?? 0) - amount);
    if (best.side === -1) {
      neighbour.end += amount;
      s.start += amount;
    } else {
      neighbour.start -= amount;
      s.end -= amount;
    }
    if (length(s) === 0) segments.splice(best.i, 1);
    mergeOwners(segments);
  }

  // Release, shrinking variants in key order. Smallest runs go first and whole, so the fragments an
  // earlier change left are the first to be consumed; the one partial cut is taken from the end that
  // touches free space or a growing variant, so what is cut off can merge with its next owner.
  for (const key of [...excesses.keys()].sort(byCodeUnits)) {
    let excess = excesses.get(key) ?? 0;
    if (excess <= 0) continue;
    const own = segments
      .filter((s) => s.owner === key)
      .sort((a, b) => length(a) - length(b) || a.start - b.start);
    for (const s of own) {
      if (excess === 0) break;
      if (length(s) <= excess) {
        excess -= length(s);
        s.owner = null;
        continue;
      }
      const i = segments.indexOf(s);
      const right = segments[i + 1];
      const left = segments[i - 1];
      const openRight = right && (right.owner === null || isGrower(right.owner));
      const openLeft = left && (left.owner === null || isGrower(left.owner));
      if (!openRight && openLeft) {
        segments.splice(i, 0, { start: s.start, end: s.start + excess, owner: null });
        s.start += excess;
      } else {
        segments.splice(i + 1, 0, { start: s.end - excess, end: s.end, owner: null });
        s.end -= excess;
      }
      excess = 0;
    }
  }
  mergeOwners(segments);

  // Take: growing variants fill released space, first where it touches a run they own (no new run),
  // then the largest need takes the smallest free piece that covers it (one cut at most), or the
  // largest piece when none does.
  for (;;) {
    const open = [...needs].filter(([, need]) => need > 0);
    if (open.length === 0) break;
    let taken = false;
    for (let i = 0; i < segments.length && !taken; i++) {
      const s = segments[i] as Segment;
      if (s.owner !== null) continue;
      for (const side of ['left', 'right'] as const) {
        const neighbour = segments[side === 'left' ? i - 1 : i + 1];
        if (!neighbour || !isGrower(neighbour.owner)) continue;
        take(segments, i, neighbour.owner as string, side, needs);
        taken = true;
        break;
      }
    }
    if (taken) continue;
    const [key, need] = open.sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]))[0] as [string, number];
    const free = segments
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.owner === null)
      .sort((a, b) => {
        const fitsA = length(a.s) >= need;
        const fitsB = length(b.s) >= need;
        if (fitsA !== fitsB) return fitsA ? -1 : 1;
        return (fitsA ? length(a.s) - length(b.s) : length(b.s) - length(a.s)) || a.s.start - b.s.start;
      });
    const first = free[0];
    // Unreachable: the released buckets equal the buckets growing variants need.
    if (!first) throw new Error('no released buckets left for a growing variant');
    take(segments, first.i, key, 'left', needs);
  }

  const runs: AllocationRun[] = [];
  for (const s of segments) {
    if (s.owner === null) throw new Error('a released bucket was left without an owner');
    const last = runs[runs.length - 1];
    if (last && last[1] === s.owner) runs[runs.length - 1] = [s.end, s.owner];
    else runs.push([s.end, s.owner]);
  }
  return { buckets: BUCKETS, runs };
}

/** The free segment at `i` (or the part of it on `side`, as much as the owner needs) goes to `owner`. */
function take(
  segments: Segment[],
  i: number,
  owner: string,
  side: 'left' | 'right',
  needs: Map<string, number>,
) {
  const s = segments[i] as Segment;
  const need = needs.get(owner) ?? 0;
  const size = Math.min(need, length(s));
  needs.set(owner, need - size);
  if (size === length(s)) {
    s.owner = owner;
  } else if (side === 'left') {
    segments.splice(i, 0, { start: s.start, end: s.start + size, owner });
    s.start += size;
  } else {
    segments.splice(i + 1, 0, { start: s.end - size, end: s.end, owner });
    s.end -= size;
  }
}

/** Joins neighbouring segments with one owner (free ones included). */
function mergeOwners(segments: Segment[]): void {
  for (let i = segments.length - 1; i > 0; i--) {
    const s = segments[i] as Segment;
    const before = segments[i - 1] as Segment;
    if (s.owner === before.owner) {
      before.end = s.end;
      segments.splice(i, 1);
    }
  }
}

function toSegments(allocation: Allocation): Segment[] {
  let start = 0;
  return allocation.runs.map(([end, owner]) => {
    const segment = { start, end, owner };
    start = end;
    return segment;
  });
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
