import type { VariantLookStats } from './variant-stats.query';

export const DAY = 86_400_000;

/** One look per day since the start, the last at `now`; an analysis at any time is one more valid look. */
export function lookCutoffs(startMs: number, nowMs: number): number[] {
  const cutoffs: number[] = [];
  for (let t = startMs + DAY; t < nowMs; t += DAY) cutoffs.push(t);
  cutoffs.push(nowMs);
  return cutoffs;
}

const emptyStats = (look: number, variant: string): VariantLookStats => {
  const zero = { s: 0, ss: 0, sw: 0, sw2: 0, sw2y2: 0 };
  const ratio = { sx: 0, sxx: 0, sd: 0, sdd: 0, sxd: 0 };
  return {
    look,
    variant,
    n: 0,
    sw: 0,
    sw2: 0,
    probability: { min: Number.NaN, max: Number.NaN, last: Number.NaN },
    outcomes: { conv: zero, cart: zero, rev: zero, stopped: zero },
    ratios: { fallback: ratio, refund: ratio },
    pre: { s: 0, ss: 0, sxy: 0, nHistory: 0 },
    revenue: 0,
  };
};

/**
 * The query's sums as a table, [look − 1][arm] in the order of `armKeys`: an arm without a row at some
 * look (nobody exposed yet) is an empty arm there, so every look has every arm.
 */
export function statsByLookAndArm(
  cutoffs: readonly number[],
  armKeys: readonly string[],
  rows: readonly VariantLookStats[],
): VariantLookStats[][] {
  const byLookArm = new Map(rows.map((r) => [`${r.look}\u0000${r.variant}`, r]));
  return cutoffs.map((_, i) =>
    armKeys.map((k) => byLookArm.get(`${i + 1}\u0000${k}`) ?? emptyStats(i + 1, k)),
  );
}
