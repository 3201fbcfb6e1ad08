import { stats } from '@pitchline/core';
import type { Estimate } from './estimates';
import type { LookEstimates } from './metric-estimates';
import type { SeriesPoint } from './result-types';
import type { VariantLookStats } from './variant-stats.query';

/**
 * Each variant's primary metric (spec 0) look by look, with its lift over the control and always-valid
 * p-value as of that look: the "lift over time" chart.
 */
export function primarySeries(p: {
  cutoffs: readonly number[];
  variantCount: number;
  stats: readonly VariantLookStats[][];
  looks: readonly LookEstimates[];
  controlIndex: number;
  primaryPaths: ReadonlyMap<number, number[]>;
}): SeriesPoint[] {
  return p.stats.flatMap((lookStats, li) =>
    Array.from({ length: p.variantCount }, (_, vi) => {
      const st = lookStats[vi] as VariantLookStats;
      const est = p.looks[li]?.estimates[vi]?.[0] as Estimate;
      const c = p.looks[li]?.estimates[p.controlIndex]?.[0] as Estimate;
      const point: SeriesPoint = {
        look: li + 1,
        at: p.cutoffs[li] as number,
        variant: st.variant,
        exposedUsers: st.n,
        conversions: st.outcomes.conv.s,
        revenue: st.revenue,
        value: est.mean,
      };
      if (vi !== p.controlIndex) {
        // Undefined over a zero control or an arm without an estimate yet: left out (absent), never NaN
        // or Infinity in the series (and never a NaN handed to the stats engine, which refuses it).
        const lift =
          Number.isFinite(est.mean) && Number.isFinite(c.mean)
            ? stats.relativeLift(est.mean, c.mean).value
            : null;
        if (lift !== null) point.lift = lift;
        point.sequentialPValue = p.primaryPaths.get(vi)?.[li] ?? 1;
      }
      return point;
    }),
  );
}
