import { normalQuantile } from './distributions';
import type { Interval } from './types';
import { requireAlpha, requireFinite, requireNonNegative } from './validate';
/**
 * Relative lift (treatment ÷ control − 1) as a figure a page can show. With a zero control the ratio
 * has no value (x/0 is ±Infinity, 0/0 NaN) and no amount of "%" makes it one, so it is `null` with the
 * reason in words; the page shows "n/a" and the reason, and a verdict never says "by Infinity%".
 */
export interface RelativeLift {
  value: number | null;
  /** Why the lift is undefined; absent when it has a value. */
  reason?: string;
}

/** The reason a proportion's lift is undefined: its control converted nobody. */
export const ZERO_CONTROL_CONVERSIONS = 'control has no conversions';
/** The reason a mean's or ratio's lift is undefined: its control is zero (e.g. no revenue at all). */
export const ZERO_CONTROL_VALUE = 'control value is zero';
/** The reason when either value is not a number at all (too little data to estimate). */
export const NO_ESTIMATE = 'not enough data to estimate';

export function relativeLift(
  treatment: number,
  control: number,
  zeroControlReason: string = ZERO_CONTROL_VALUE,
): RelativeLift {
  // A missing estimate is the caller's to report (NO_ESTIMATE); a NaN here would be a bug upstream.
  requireFinite('treatment', treatment);
  requireFinite('control', control);
  if (control === 0) return { value: null, reason: zeroControlReason };
  return { value: treatment / control - 1 };
}

/** An estimate and the variance of that estimate (the squared standard error, not a per-user variance). */
export interface EstimateWithVariance {
  mean: number;
  variance: number;
}

export interface RelativeLiftInterval extends RelativeLift {
  /** null whenever the lift itself is. */
  ci: Interval | null;
  /** Delta-method standard error of the lift; null with it. */
  standardError: number | null;
}

/**
 * Relative lift R = μ_t/μ_c − 1 of two independent estimates with its delta-method interval, the
 * gradient of g(μ_t, μ_c) = μ_t/μ_c being (1/μ_c, −μ_t/μ_c²):
 * Var(R) ≈ v_t/μ_c² + μ_t² v_c/μ_c⁴, CI = R ± z_{1−α/2} √Var (Deng, Knoblich & Lu 2018; GrowthBook's
 * gbstats uses the same for its relative effects). v_t, v_c are the variances of the estimates (s²/n for
 * a mean, the delta-method variance for a ratio, the linearised variance for an IPW mean), so one
 * function serves Welch, ratio, CUPED and IPW comparisons alike. Not on the log scale, unlike the
 * proportions' interval, because means (revenue) can be 0 in an arm. Undefined over a zero control.
 */
export function relativeLiftInterval(input: {
  treatment: EstimateWithVariance;
  control: EstimateWithVariance;
  alpha?: number;
  zeroControlReason?: string;
}): RelativeLiftInterval {
  const { treatment: t, control: c } = input;
  const alpha = input.alpha ?? 0.05;
  requireFinite('treatment.mean', t.mean);
  requireNonNegative('treatment.variance', t.variance);
  requireFinite('control.mean', c.mean);
  requireNonNegative('control.variance', c.variance);
  requireAlpha(alpha);
  const lift = relativeLift(t.mean, c.mean, input.zeroControlReason);
  if (lift.value === null) return { ...lift, ci: null, standardError: null };
  const se = Math.sqrt(t.variance / c.mean ** 2 + (t.mean ** 2 * c.variance) / c.mean ** 4);
  const z = normalQuantile(1 - alpha / 2);
  return { ...lift, ci: [lift.value - z * se, lift.value + z * se], standardError: se };
}
