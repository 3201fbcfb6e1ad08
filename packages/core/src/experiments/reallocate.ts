import {
  type Allocation,
  type AllocationRun,
  ASSIGNMENT_BUCKETS,
  allocationCounts,
  byCodeUnits,
  checkAllocation,
  newAllocation,
  stableBucketCounts,
  type Weighted,
} from './allocation';

/*
 * Moving an allocation to new weights with the fewest users changing variant (see allocation.ts for
 * the representation and why): shrinking variants release buckets, growing ones take exactly those.
 */

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
  return { buckets: ASSIGNMENT_BUCKETS, runs };
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
