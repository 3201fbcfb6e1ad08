import { stats } from '@pitchline/core';
import type { Metric } from './config';
import type { Outcome, RatioName, VariantLookStats } from './variant-stats.query';

/**
 * Sufficient statistics → estimates and comparisons, through the stats engine (packages/core/src/stats,
 * where the formulas are documented and checked against SciPy/statsmodels). This file only chooses the
 * estimator for each metric and mode and adapts the shapes.
 */

export type EstimateMethod = 'proportion' | 'mean' | 'cuped' | 'ipw' | 'ratio-delta';

/** A variant's estimate of one metric: the mean per exposed user (or the ratio) and its variance. */
export interface Estimate {
  n: number;
  mean: number;
  /** Variance of `mean` (the squared standard error). */
  variance: number;
  method: EstimateMethod;
  /** For proportions: the users counted as converted (exactly, so exact binary tests can use it). */
  successes?: number;
}

const SOURCE: Record<Metric, { outcome: Outcome; binary: boolean } | { ratio: RatioName }> = {
  conversion: { outcome: 'conv', binary: true },
  add_to_cart: { outcome: 'cart', binary: true },
  revenue_per_user: { outcome: 'rev', binary: false },
  stop_after_pitch: { outcome: 'stopped', binary: true },
  fallback_rate: { ratio: 'fallback' },
  refund_rate: { ratio: 'refund' },
};

const undefinedEstimate = (n: number, method: EstimateMethod): Estimate => ({
  n,
  mean: Number.NaN,
  variance: Number.NaN,
  method,
});

export interface EstimateContext {
  /**
   * Hájek inverse-propensity-weighted means (bandit mode, or a fixed split whose shares changed during
   * the run); plain means otherwise. Ratio metrics stay unweighted either way.
   */
  ipw: boolean;
  /** CUPED fit for revenue at this look, when enough users have history (plain means only). */
  cuped?: { theta: number; xMean: number };
}

/**
 * Every user carries the covariate: pre-period spend, 0 for a shopper who spent nothing. Zero spend is an
 * observed value, not a missing one (Deng, Xu, Kohavi & Walker 2013), so θ is fitted on all users and all
 * are adjusted; fitting on spenders only and leaving the rest unadjusted throws away most of the variance
 * reduction (reference.json `cupedZeroSpend`). "No history" and "spent nothing" are the same event here
 * (the covariate counts payments), so no separate has-history indicator is needed.
 */
function cupedSums(v: VariantLookStats): stats.CupedSums {
  return {
    n: v.n,
    sumY: v.outcomes.rev.s,
    sumYSquares: v.outcomes.rev.ss,
    nWithHistory: v.n,
    sumX: v.pre.s,
    sumXSquares: v.pre.ss,
    sumXY: v.pre.sxy,
    sumYWithHistory: v.outcomes.rev.s,
  };
}

/** Pooled CUPED θ across all variants at one look (pre-exposure revenue is independent of assignment). */
export function cupedFit(all: VariantLookStats[]): { theta: number; xMean: number } {
  return stats.cupedThetaFromSums(all.map(cupedSums));
}

export function estimateMetric(v: VariantLookStats, metric: Metric, ctx: EstimateContext): Estimate {
  const source = SOURCE[metric];
  if ('ratio' in source) {
    const r = v.ratios[source.ratio];
    if (v.n < 2 || !(r.sd > 0)) return undefinedEstimate(v.n, 'ratio-delta');
    const s = stats.ratioFromSums({
      n: v.n,
      sumNumerator: r.sx,
      sumDenominator: r.sd,
      sumNumeratorSquares: r.sxx,
      sumDenominatorSquares: r.sdd,
      sumProducts: r.sxd,
    });
    return { n: v.n, mean: s.ratio, variance: s.variance, method: 'ratio-delta' };
  }
  const m = v.outcomes[source.outcome];
  if (ctx.ipw) {
    if (!(v.sw > 0)) return undefinedEstimate(v.n, 'ipw');
    const e = stats.ipwMeanFromSums({
      sumW: v.sw,
      sumWY: m.sw,
      sumW2: v.sw2,
      sumW2Y: m.sw2,
      sumW2Y2: m.sw2y2,
    });
    return { n: v.n, mean: e.mean, variance: e.variance, method: 'ipw' };
  }
  if (v.n < 2) return undefinedEstimate(v.n, source.binary ? 'proportion' : 'mean');
  if (metric === 'revenue_per_user' && ctx.cuped) {
    const arm = stats.cupedFromSums(cupedSums(v), ctx.cuped);
    return { n: v.n, mean: arm.mean, variance: arm.variance / arm.n, method: 'cuped' };
  }
  const arm = stats.summarizeSums({ n: v.n, sum: m.s, sumSquares: m.ss });
  if (source.binary) {
    const p = m.s / v.n;
    return { n: v.n, mean: p, variance: (p * (1 - p)) / v.n, method: 'proportion', successes: m.s };
  }
  return { n: v.n, mean: arm.mean, variance: arm.variance / arm.n, method: 'mean' };
}

export interface Comparison {
  /** Treatment − control, in the metric's units. */
  difference: number;
  differenceCi: [number, number];
  /** (treatment − control) / control; null when the control is zero (liftReason says why, in words). */
  lift: number | null;
  liftReason?: string;
  liftCi: [number, number] | null;
  /** Fixed-horizon two-sided p-value of the test differenceCi inverts (Miettinen–Nurminen score test for proportions, Welch's t for means, z otherwise). */
  pValue: number;
  /** Posterior probability that the treatment is better than the control. */
  chanceToBeatControl: number;
  /** Expected loss of shipping the treatment (in the metric's units, in the good direction). */
  expectedLoss: number;
}

const NO_COMPARISON: Comparison = {
  difference: Number.NaN,
  differenceCi: [Number.NaN, Number.NaN],
  lift: null,
  liftReason: stats.NO_ESTIMATE,
  liftCi: null,
  pValue: 1,
  chanceToBeatControl: 0.5,
  expectedLoss: Number.NaN,
};

/** A normal-posterior "arm" whose variance of the mean is `variance` (bayesNormal divides by n). */
const asMeanArm = (e: Estimate): stats.MeanArm => ({ n: e.n, mean: e.mean, variance: e.variance * e.n });

/**
 * Treatment vs control for one metric. Bayesian quantities are in the metric's good direction: for a
 * lower-is-better metric (stops, fallbacks, refunds) the arms are swapped, so that P(control > treatment)
 * is the chance of beating the control and E[max(treatment − control, 0)] the loss of shipping it.
 */
export function compare(t: Estimate, c: Estimate, alpha: number, higherIsBetter: boolean): Comparison {
  if (!(Number.isFinite(t.mean) && Number.isFinite(c.mean)) || t.n < 2 || c.n < 2) return NO_COMPARISON;
  let fixed: {
    diff: number;
    diffCi: readonly [number, number];
    relativeLift: number | null;
    relativeLiftReason?: string;
    relativeLiftCi: readonly [number, number] | null;
    pValue: number;
  };
  let bayes: { chanceToBeatControl: number; expectedLoss: number; expectedLossControl: number };
  if (t.method === 'proportion' && c.method === 'proportion') {
    const control = { n: c.n, conversions: c.successes ?? 0 };
    const treatment = { n: t.n, conversions: t.successes ?? 0 };
    fixed = stats.compareProportions({ control, treatment, alpha });
    bayes = higherIsBetter
      ? stats.bayesBinary({ control, treatment })
      : stats.bayesBinary({ control: treatment, treatment: control });
  } else if (t.method === 'mean' || t.method === 'cuped') {
    fixed = stats.welchTTest({ control: asMeanArm(c), treatment: asMeanArm(t), alpha });
    bayes = normalBayes(t, c, higherIsBetter);
  } else {
    // IPW and delta-method ratios: asymptotically normal estimates with known variances.
    const z = stats.normalQuantile(1 - alpha / 2);
    const diff = t.mean - c.mean;
    const se = Math.sqrt(t.variance + c.variance);
    const lift = stats.relativeLiftInterval({ treatment: t, control: c, alpha });
    fixed = {
      diff,
      diffCi: [diff - z * se, diff + z * se],
      relativeLift: lift.value,
      ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
      relativeLiftCi: lift.ci,
      pValue: se > 0 ? Math.min(1, 2 * stats.normalSf(Math.abs(diff / se))) : diff === 0 ? 1 : 0,
    };
    bayes = normalBayes(t, c, higherIsBetter);
  }
  return {
    difference: fixed.diff,
    differenceCi: [fixed.diffCi[0], fixed.diffCi[1]],
    lift: fixed.relativeLift,
    ...(fixed.relativeLiftReason !== undefined ? { liftReason: fixed.relativeLiftReason } : {}),
    liftCi: fixed.relativeLiftCi ? [fixed.relativeLiftCi[0], fixed.relativeLiftCi[1]] : null,
    pValue: fixed.pValue,
    chanceToBeatControl: bayes.chanceToBeatControl,
    expectedLoss: bayes.expectedLoss,
  };
}

function normalBayes(t: Estimate, c: Estimate, higherIsBetter: boolean) {
  return higherIsBetter
    ? stats.bayesNormal({ control: asMeanArm(c), treatment: asMeanArm(t) })
    : stats.bayesNormal({ control: asMeanArm(t), treatment: asMeanArm(c) });
}
