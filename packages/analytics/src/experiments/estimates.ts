import type { Metric } from './config';
import { normalCdf, normalPdf, normalQuantile, twoSidedP } from './stats';
import type { Moments, Outcome, RatioMoments, RatioName, VariantLookStats } from './variant-stats.query';

/** A variant's estimate of one metric: the mean per exposed user (or the ratio) and its variance. */
export interface Estimate {
  n: number;
  mean: number;
  /** Variance of `mean` (the squared standard error). */
  variance: number;
  /** How the estimate was made, for the reader of the results. */
  method: 'mean' | 'ipw' | 'ratio-delta' | 'cuped';
}

const SOURCE: Record<Metric, { outcome: Outcome } | { ratio: RatioName }> = {
  conversion: { outcome: 'conv' },
  add_to_cart: { outcome: 'cart' },
  revenue_per_user: { outcome: 'rev' },
  stop_after_pitch: { outcome: 'stopped' },
  fallback_rate: { ratio: 'fallback' },
  refund_rate: { ratio: 'refund' },
};

/** Plain mean of n per-user values from Σy and Σy²: variance of the mean = s² / n (s² unbiased). */
export function meanEstimate(n: number, m: Moments): Estimate {
  const mean = n > 0 ? m.s / n : Number.NaN;
  const s2 = n > 1 ? Math.max(0, (m.ss - (m.s * m.s) / n) / (n - 1)) : Number.NaN;
  return { n, mean, variance: s2 / n, method: 'mean' };
}

/**
 * Inverse-propensity-weighted (Hájek) mean for bandit mode: each user weighs 1/p, p being the logged
 * probability of the variant they got, so periods when the bandit sent the variant less traffic are not
 * under-represented.  μ = Σwy / Σw;  by the delta method (linearising the ratio of sums)
 *   Var(μ) ≈ Σ w² (y − μ)² / (Σw)² = (Σw²y² − 2μ Σw²y + μ² Σw²) / (Σw)².
 */
export function ipwEstimate(n: number, sw: number, sw2: number, m: Moments): Estimate {
  const mean = sw > 0 ? m.sw / sw : Number.NaN;
  const variance =
    sw > 0 ? Math.max(0, m.sw2y2 - 2 * mean * m.sw2 + mean * mean * sw2) / (sw * sw) : Number.NaN;
  return { n, mean, variance, method: 'ipw' };
}

/**
 * A ratio of per-user sums (fallback turns / turns, refunded / paid orders) with users as the unit of
 * randomisation, by the delta method:  R = Σx / Σd,
 *   Var(R) ≈ (Var(x) − 2R Cov(x, d) + R² Var(d)) / (n · d̄²).
 */
export function ratioEstimate(n: number, r: RatioMoments): Estimate {
  if (n < 2 || r.sd <= 0) return { n, mean: Number.NaN, variance: Number.NaN, method: 'ratio-delta' };
  const ratio = r.sx / r.sd;
  const dBar = r.sd / n;
  const varX = (r.sxx - (r.sx * r.sx) / n) / (n - 1);
  const varD = (r.sdd - (r.sd * r.sd) / n) / (n - 1);
  const cov = (r.sxd - (r.sx * r.sd) / n) / (n - 1);
  const variance = Math.max(0, varX - 2 * ratio * cov + ratio * ratio * varD) / (n * dBar * dBar);
  return { n, mean: ratio, variance, method: 'ratio-delta' };
}

/**
 * CUPED (Deng et al. 2013) on revenue with the pre-exposure revenue x as covariate:
 *   θ = Cov(y, x) / Var(x) pooled over all variants,  ŷ_v = ȳ_v − θ (x̄_v − x̄),
 *   Var(ŷ_v) = (Var_v(y) − 2θ Cov_v(y, x) + θ² Var_v(x)) / n_v.
 * x is fixed before exposure, so the adjustment keeps the estimate unbiased and removes the share of
 * variance that the users' history explains.
 */
export function cupedTheta(all: VariantLookStats[]): { theta: number; xBar: number } | undefined {
  let n = 0;
  let sx = 0;
  let sxx = 0;
  let sy = 0;
  let sxy = 0;
  for (const v of all) {
    n += v.n;
    sx += v.pre.s;
    sxx += v.pre.ss;
    sy += v.outcomes.rev.s;
    sxy += v.pre.sxy;
  }
  if (n < 3) return undefined;
  const varX = (sxx - (sx * sx) / n) / (n - 1);
  if (!(varX > 0)) return undefined;
  const cov = (sxy - (sx * sy) / n) / (n - 1);
  return { theta: cov / varX, xBar: sx / n };
}

export function cupedEstimate(v: VariantLookStats, c: { theta: number; xBar: number }): Estimate {
  const n = v.n;
  if (n < 2) return { n, mean: Number.NaN, variance: Number.NaN, method: 'cuped' };
  const y = v.outcomes.rev;
  const yBar = y.s / n;
  const xBar = v.pre.s / n;
  const varY = (y.ss - (y.s * y.s) / n) / (n - 1);
  const varX = (v.pre.ss - (v.pre.s * v.pre.s) / n) / (n - 1);
  const cov = (v.pre.sxy - (v.pre.s * y.s) / n) / (n - 1);
  const variance = Math.max(0, varY - 2 * c.theta * cov + c.theta * c.theta * varX) / n;
  return { n, mean: yBar - c.theta * (xBar - c.xBar), variance, method: 'cuped' };
}

export interface EstimateContext {
  mode: 'fixed' | 'bandit';
  /** CUPED coefficients for revenue at this look, when users have enough history. */
  cuped?: { theta: number; xBar: number };
}

export function estimateMetric(v: VariantLookStats, metric: Metric, ctx: EstimateContext): Estimate {
  const source = SOURCE[metric];
  if ('ratio' in source) return ratioEstimate(v.n, v.ratios[source.ratio]);
  if (ctx.mode === 'bandit') return ipwEstimate(v.n, v.sw, v.sw2, v.outcomes[source.outcome]);
  if (metric === 'revenue_per_user' && ctx.cuped) return cupedEstimate(v, ctx.cuped);
  return meanEstimate(v.n, v.outcomes[source.outcome]);
}

export interface Comparison {
  /** Treatment − control, in the metric's units. */
  difference: number;
  differenceCi: [number, number];
  /** (treatment − control) / control. */
  lift: number;
  liftCi: [number, number];
  /** Fixed-horizon two-sided p-value (Welch's z: unpooled variances; at these sample sizes t ≈ z). */
  pValue: number;
  /** Posterior probability that the treatment is better than the control (flat prior, normal posterior). */
  chanceToBeatControl: number;
  /** Expected loss of shipping the treatment: E[max(0, control − treatment)] in the good direction. */
  expectedLoss: number;
}

/**
 * Difference and relative lift with (1 − α) intervals. The lift's variance is by the delta method on
 * t / c with independent arms:  Var(t/c − 1) ≈ Var(t)/c² + t² Var(c)/c⁴.
 */
export function compare(t: Estimate, c: Estimate, alpha: number, higherIsBetter: boolean): Comparison {
  const z = normalQuantile(1 - alpha / 2);
  const difference = t.mean - c.mean;
  const v = t.variance + c.variance;
  const se = Math.sqrt(v);
  const lift = c.mean !== 0 ? difference / c.mean : Number.NaN;
  const liftSe = Math.sqrt(t.variance / c.mean ** 2 + (t.mean ** 2 * c.variance) / c.mean ** 4);
  const good = higherIsBetter ? difference : -difference;
  const valid = Number.isFinite(difference) && se > 0;
  return {
    difference,
    differenceCi: [difference - z * se, difference + z * se],
    lift,
    liftCi: [lift - z * liftSe, lift + z * liftSe],
    pValue: valid ? twoSidedP(difference / se) : 1,
    chanceToBeatControl: valid ? normalCdf(good / se) : 0.5,
    // E[max(0, −D)] for D ~ N(good, se²).
    expectedLoss: valid ? se * normalPdf(good / se) - good * normalCdf(-good / se) : Number.NaN,
  };
}
