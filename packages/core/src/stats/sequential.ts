import { normalQuantile } from './distributions';
import type { BinaryArm, Interval, MeanArm } from './types';
import {
  requireAlpha,
  requireBinaryArm,
  requireFinite,
  requireMeanArm,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from './validate';

/**
 * Anytime-valid inference by the mixture sequential probability ratio test (mSPRT) with a normal mixture
 * (Robbins 1970; Johari, Koomen, Pekelis & Walsh 2017, "Peeking at A/B tests", KDD; Johari, Pekelis &
 * Walsh 2022, "Always valid inference", Operations Research 70(3)).
 *
 * Why mSPRT rather than group-sequential boundaries: the team looks every day, whenever it likes, and
 * may run longer than planned; group-sequential designs (O'Brien–Fleming, Lan–DeMets spending) need the
 * number or timing of looks and the maximum sample size fixed in advance, mSPRT needs neither. The cost
 * is some power at a fixed horizon, which a well-chosen mixing variance keeps small.
 *
 * With θ̂ the difference of the arms' estimates and V its variance at the current look (CLT), the
 * likelihood ratio of H1: θ ~ N(0, τ²) against H0: θ = 0 is
 *   Λ = √(V/(V+τ²)) · exp(θ̂² τ² / (2V(V+τ²))),
 * a non-negative martingale under H0, so by Ville's inequality P(sup_n Λ_n ≥ 1/α) ≤ α. The always-valid
 * p-value is p_n = min(1, p_{n−1}, 1/Λ_n); stopping at the first look with p_n ≤ α keeps the false
 * positive rate ≤ α however often one looks (A/A simulation in sequential.test.ts).
 * The matching always-valid confidence interval is θ̂ ± √(V(V+τ²)/τ² · (ln((V+τ²)/V) − 2 ln α)),
 * intersected over looks.
 *
 * Mixing variance τ²: the test is most sensitive to effects of size ≈ τ. We centre it on the effect the
 * growth team cares about, a relative lift of `relativeEffect` (default 10 %) of the baseline:
 * τ = relativeEffect · baseline, baseline = pooled rate/mean of both arms (under H0 it does not depend on
 * the assignment). For strict validity fix τ² before the experiment (e.g. from last month's baseline)
 * and pass `tau2`; the default re-estimates the baseline at each look, which settles within the first
 * days and keeps the error rate below α in the A/A simulation.
 *
 * The experiment results (analytics analysis.ts) use τ = 0.3 × the pooled baseline re-estimated at each
 * look, count a look once both arms have 100 users, and Holm-adjust the always-valid p-values; their own
 * A/A simulation (analytics analysis.aa.test.ts: 14 daily looks, 3 arms, a drifting baseline) measured
 * a false-positive rate of 0.012 on the primary metric with a fixed split and 0.034 under a top-two
 * Thompson bandit with inverse-propensity weights, both ≤ α = 0.05.
 */
export interface SequentialLook {
  /** θ̂ = treatment − control */
  estimate: number;
  /** Var(θ̂) */
  variance: number;
  tau2: number;
}

export interface SequentialResult {
  estimate: number;
  variance: number;
  tau2: number;
  /** ln Λ at this look. */
  logLikelihoodRatio: number;
  /** Always-valid p-value: min(1, previous, 1/Λ). */
  pValue: number;
  /** Always-valid CI at this look (intersect with previous looks' for the running interval). */
  ci: Interval;
}

export function msprt(
  look: SequentialLook,
  options: { alpha?: number; previousPValue?: number } = {},
): SequentialResult {
  const alpha = options.alpha ?? 0.05;
  const { estimate, variance: v, tau2 } = look;
  requireFinite('look.estimate', estimate);
  // A negative variance made ln Λ = +∞ and p = 0: the worst way for bad input to look.
  requireNonNegative('look.variance', v);
  requirePositive('look.tau2', tau2);
  requireAlpha(alpha, 'options.alpha');
  if (options.previousPValue !== undefined)
    requireProbability('options.previousPValue', options.previousPValue);
  let logLr: number;
  let ci: Interval;
  if (v > 0) {
    logLr = 0.5 * Math.log(v / (v + tau2)) + (estimate ** 2 * tau2) / (2 * v * (v + tau2));
    const half = Math.sqrt(((v * (v + tau2)) / tau2) * (Math.log((v + tau2) / v) - 2 * Math.log(alpha)));
    ci = [estimate - half, estimate + half];
  } else {
    logLr = estimate === 0 ? 0 : Number.POSITIVE_INFINITY;
    ci = [estimate, estimate];
  }
  const pValue = Math.min(1, options.previousPValue ?? 1, Math.exp(-logLr));
  return { estimate, variance: v, tau2, logLikelihoodRatio: logLr, pValue, ci };
}

export type SequentialInput =
  | { control: BinaryArm; treatment: BinaryArm }
  | { control: MeanArm; treatment: MeanArm };

export interface SequentialOptions {
  alpha?: number;
  /** Fixed mixing variance (in the metric's squared unit); overrides relativeEffect. */
  tau2?: number;
  /** τ = relativeEffect · pooled baseline when tau2 is not given. Default 0.1. */
  relativeEffect?: number;
  /** The always-valid p-value of the previous look (default 1: this is the first look). */
  previousPValue?: number;
}

/** Difference, variance and τ² of a look for proportions (unpooled variance) or means. */
export function sequentialLook(
  input: SequentialInput,
  options: Omit<SequentialOptions, 'alpha' | 'previousPValue'> = {},
): SequentialLook {
  return lookOf(input, options, 'input.');
}

function checkInput(input: SequentialInput, prefix: string): void {
  if ('conversions' in input.control && 'conversions' in input.treatment) {
    requireBinaryArm(`${prefix}control`, input.control);
    requireBinaryArm(`${prefix}treatment`, input.treatment);
  } else {
    requireMeanArm(`${prefix}control`, input.control as MeanArm);
    requireMeanArm(`${prefix}treatment`, input.treatment as MeanArm);
  }
}

function lookOf(
  input: SequentialInput,
  options: Omit<SequentialOptions, 'alpha' | 'previousPValue'>,
  prefix: string,
): SequentialLook {
  checkInput(input, prefix);
  if (options.tau2 !== undefined) requirePositive('options.tau2', options.tau2);
  if (options.relativeEffect !== undefined) requirePositive('options.relativeEffect', options.relativeEffect);
  const relativeEffect = options.relativeEffect ?? 0.1;
  let estimate: number;
  let variance: number;
  let baseline: number;
  if ('conversions' in input.control && 'conversions' in input.treatment) {
    const c = input.control;
    const t = input.treatment;
    const pc = c.conversions / c.n;
    const pt = t.conversions / t.n;
    estimate = pt - pc;
    variance = (pc * (1 - pc)) / c.n + (pt * (1 - pt)) / t.n;
    baseline = (c.conversions + t.conversions) / (c.n + t.n);
  } else {
    const c = input.control as MeanArm;
    const t = input.treatment as MeanArm;
    estimate = t.mean - c.mean;
    variance = c.variance / c.n + t.variance / t.n;
    baseline = (c.mean * c.n + t.mean * t.n) / (c.n + t.n);
  }
  const fallback = (relativeEffect * baseline) ** 2;
  // A zero baseline (no conversions yet) would make τ² = 0: fall back to a tiny positive value.
  const tau2 = options.tau2 ?? (fallback > 0 ? fallback : Number.MIN_VALUE * 1e10);
  return { estimate, variance, tau2 };
}

/** Always-valid p-value (and CI) at this look, given the previous look's p-value. */
export function msprtPValue(input: SequentialInput & SequentialOptions): SequentialResult {
  const { alpha, previousPValue } = input;
  return msprt(lookOf(input, input, ''), {
    ...(alpha !== undefined ? { alpha } : {}),
    ...(previousPValue !== undefined ? { previousPValue } : {}),
  });
}

/**
 * A whole sequence of cumulative looks (day 1, days 1–2, …): running-minimum p-values and running
 * intersection of the intervals, as reported after each look.
 */
export function alwaysValidPValues(
  looks: readonly SequentialInput[],
  options: Omit<SequentialOptions, 'previousPValue'> = {},
): SequentialResult[] {
  const out: SequentialResult[] = [];
  let p = 1;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const [i, look] of looks.entries()) {
    const r = msprt(lookOf(look, options, `looks[${i}].`), {
      ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
      previousPValue: p,
    });
    p = r.pValue;
    lo = Math.max(lo, r.ci[0]);
    hi = Math.min(hi, r.ci[1]);
    out.push({ ...r, ci: [lo, hi] });
  }
  return out;
}

/** Fixed-horizon critical value, exported for callers that also show the classic test. */
export function zCritical(alpha: number): number {
  requireAlpha(alpha);
  return normalQuantile(1 - alpha / 2);
}
