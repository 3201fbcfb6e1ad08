import { normalQuantile, normalSf } from './distributions';
import { relativeLiftInterval } from './lift';
import type { Interval } from './types';
import {
  requireAlpha,
  requireFinite,
  requireFiniteArray,
  requireNonNegative,
  requirePositive,
} from './validate';

/** A ratio-of-means metric (e.g. revenue per session) with its delta-method variance. */
export interface RatioSummary {
  /** Randomisation units (users). */
  n: number;
  /** Σy / Σx */
  ratio: number;
  /** Var of the ratio estimate (already divided by n). */
  variance: number;
  standardError: number;
}

/**
 * Ratio metric when the analysis unit (session) is not the randomisation unit (user): per user i,
 * y_i = revenue, x_i = sessions; R = ȳ / x̄. Sessions of one user are correlated, so the naive
 * per-session variance is wrong; the delta method on per-user sums gives (Deng, Knoblich & Lu 2018, eq. 4)
 * Var(R) ≈ (1/n) [ s_y²/x̄² − 2 ȳ s_xy/x̄³ + ȳ² s_x²/x̄⁴ ], with unbiased (n − 1) sample moments.
 */
export function ratioMetric(input: {
  numerators: readonly number[];
  denominators: readonly number[];
}): RatioSummary {
  const { numerators: y, denominators: x } = input;
  if (y.length !== x.length)
    throw new RangeError('ratioMetric: numerators and denominators differ in length');
  const n = y.length;
  if (n < 2) throw new RangeError('ratioMetric needs at least 2 units');
  requireFiniteArray('numerators', y);
  requireFiniteArray('denominators', x);
  let sy = 0;
  let sx = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i] as number;
    sx += x[i] as number;
  }
  const my = sy / n;
  const mx = sx / n;
  let vyy = 0;
  let vxx = 0;
  let vxy = 0;
  for (let i = 0; i < n; i++) {
    const dy = (y[i] as number) - my;
    const dx = (x[i] as number) - mx;
    vyy += dy * dy;
    vxx += dx * dx;
    vxy += dx * dy;
  }
  return ratioFromMoments({
    n,
    meanNumerator: my,
    meanDenominator: mx,
    varNumerator: vyy / (n - 1),
    varDenominator: vxx / (n - 1),
    covariance: vxy / (n - 1),
  });
}

/** Same as ratioMetric from per-unit moments (e.g. computed by SQL aggregates). */
export function ratioFromMoments(m: {
  n: number;
  meanNumerator: number;
  meanDenominator: number;
  varNumerator: number;
  varDenominator: number;
  covariance: number;
}): RatioSummary {
  const { n, meanNumerator: my, meanDenominator: mx } = m;
  requirePositive('n', n);
  requireFinite('meanNumerator', my);
  requireFinite('meanDenominator', mx);
  // x̄ = 0 has no ratio (every denominator zero): the caller reports "no estimate" instead.
  if (mx === 0) throw new RangeError('meanDenominator must not be 0');
  requireNonNegative('varNumerator', m.varNumerator);
  requireNonNegative('varDenominator', m.varDenominator);
  requireFinite('covariance', m.covariance);
  const ratio = my / mx;
  const variance =
    (m.varNumerator / mx ** 2 - (2 * my * m.covariance) / mx ** 3 + (my ** 2 * m.varDenominator) / mx ** 4) /
    n;
  const v = Math.max(0, variance);
  return { n, ratio, variance: v, standardError: Math.sqrt(v) };
}

export interface RatioComparison {
  diff: number;
  diffCi: Interval;
  /** R_t / R_c − 1; null when the control ratio is zero (relativeLiftReason says so). */
  relativeLift: number | null;
  relativeLiftReason?: string;
  relativeLiftCi: Interval | null;
  standardError: number;
  z: number;
  pValue: number;
}

/**
 * Two ratio metrics: z = (R_t − R_c)/√(V_t + V_c), two-sided normal p-value and CI (the delta method is
 * asymptotic, so normal rather than t). Lift R_t/R_c − 1 with Var ≈ V_t/R_c² + R_t² V_c/R_c⁴.
 */
export function compareRatios(input: {
  control: RatioSummary;
  treatment: RatioSummary;
  alpha?: number;
}): RatioComparison {
  const { control: c, treatment: t } = input;
  for (const [name, r] of [
    ['control', c],
    ['treatment', t],
  ] as const) {
    requireFinite(`${name}.ratio`, r.ratio);
    requireNonNegative(`${name}.variance`, r.variance);
  }
  const alpha = input.alpha ?? 0.05;
  requireAlpha(alpha);
  const zCrit = normalQuantile(1 - alpha / 2);
  const diff = t.ratio - c.ratio;
  const se = Math.sqrt(c.variance + t.variance);
  const z = se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  const lift = relativeLiftInterval({
    treatment: { mean: t.ratio, variance: t.variance },
    control: { mean: c.ratio, variance: c.variance },
    alpha,
  });
  return {
    diff,
    diffCi: [diff - zCrit * se, diff + zCrit * se],
    relativeLift: lift.value,
    ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
    relativeLiftCi: lift.ci,
    standardError: se,
    z,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
  };
}
