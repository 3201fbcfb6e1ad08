import { normalQuantile, normalSf } from './distributions';
import type { Interval } from './types';
import { requireAlpha, requireFiniteArray, requirePositive } from './validate';

export interface IpwEstimate {
  /** Hajek estimate of the arm's mean outcome had every user been assigned to it. */
  mean: number;
  /** Horvitz–Thompson estimate; present when the population size was given. */
  horvitzThompson?: number;
  /** Linearised variance of the Hajek estimate. */
  variance: number;
  standardError: number;
  /** Σ 1/p: the effective population the arm's users stand for. */
  weightSum: number;
}

/**
 * Inverse-propensity weighting for arms whose assignment probability changed over time: bandit mode,
 * and a fixed split whose weights were edited while it ran (the results switch to it whenever an arm's
 * logged probabilities differ; analytics analysis.ts).
 * A user assigned with probability p_i stands for 1/p_i users. When traffic shifts while the baseline
 * drifts (weekdays, promotions), the plain per-arm mean mixes periods in different proportions per arm
 * (Simpson's paradox); weighting by 1/p_i restores the same mix for every arm.
 * Horvitz–Thompson (1952): μ̂_HT = (1/N) Σ y_i/p_i over the arm's users, N = all exposed users.
 * Hajek (1971): μ̂ = Σ(y_i/p_i) / Σ(1/p_i), a ratio estimator with smaller variance that needs no N;
 * its linearised variance is Σ w_i² (y_i − μ̂)² / (Σ w_i)², w_i = 1/p_i (Särndal et al. 1992, §5.7).
 */
export function ipwMean(input: {
  outcomes: readonly number[];
  probabilities: readonly number[];
  populationSize?: number;
}): IpwEstimate {
  return hajek(input, '');
}

function hajek(
  input: { outcomes: readonly number[]; probabilities: readonly number[]; populationSize?: number },
  prefix: string,
): IpwEstimate {
  const { outcomes: y, probabilities: p } = input;
  if (y.length !== p.length)
    throw new RangeError(`${prefix}outcomes and ${prefix}probabilities differ in length`);
  if (y.length === 0) throw new RangeError(`${prefix}outcomes must not be empty`);
  requireFiniteArray(`${prefix}outcomes`, y);
  if (input.populationSize !== undefined) requirePositive(`${prefix}populationSize`, input.populationSize);
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    const pi = p[i] as number;
    if (!(pi > 0 && pi <= 1))
      throw new RangeError(`${prefix}probabilities[${i}] must be in (0, 1], got ${pi}`);
    sw += 1 / pi;
    swy += (y[i] as number) / pi;
  }
  const mean = swy / sw;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (((y[i] as number) - mean) / (p[i] as number)) ** 2;
  const variance = s / sw ** 2;
  return {
    mean,
    ...(input.populationSize !== undefined ? { horvitzThompson: swy / input.populationSize } : {}),
    variance,
    standardError: Math.sqrt(variance),
    weightSum: sw,
  };
}

export interface IpwComparison {
  control: IpwEstimate;
  treatment: IpwEstimate;
  diff: number;
  diffCi: Interval;
  standardError: number;
  z: number;
  pValue: number;
}

/** Hajek means per arm; the difference with a normal CI and two-sided p-value (arms independent). */
export function ipwCompare(input: {
  control: { outcomes: readonly number[]; probabilities: readonly number[] };
  treatment: { outcomes: readonly number[]; probabilities: readonly number[] };
  alpha?: number;
}): IpwComparison {
  const control = hajek(input.control, 'control.');
  const treatment = hajek(input.treatment, 'treatment.');
  const alpha = input.alpha ?? 0.05;
  requireAlpha(alpha);
  const diff = treatment.mean - control.mean;
  const se = Math.sqrt(control.variance + treatment.variance);
  const zCrit = normalQuantile(1 - alpha / 2);
  // Zero variance (constant outcomes): a difference is certain and none is no evidence, as the point
  // interval [diff, diff] says; z = 0 here made p = 1 beside an interval excluding 0.
  const z = se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  return {
    control,
    treatment,
    diff,
    diffCi: [diff - zCrit * se, diff + zCrit * se],
    standardError: se,
    z,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
  };
}
