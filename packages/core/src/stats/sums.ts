import type { IpwEstimate } from './ipw';
import { type RatioSummary, ratioFromMoments } from './ratio';
import type { MeanArm } from './types';
import { requireFinite, requireNonNegative, requirePositive } from './validate';

/**
 * The same estimators from per-arm sums, the shape SQL aggregates return (sum(y), sum(y*y), …), so the
 * results query never ships per-user rows. Sample moments use s² = (Σy² − (Σy)²/n)/(n − 1); the
 * subtraction loses digits only when the mean is ~10⁸ times the spread, far from revenue data.
 * Each function agrees with its per-user counterpart (sums.test.ts).
 */

/** Σy, Σy² of n users → n, mean, unbiased variance (as summarize()). */
export function summarizeSums(s: { n: number; sum: number; sumSquares: number }): MeanArm {
  const { n } = s;
  // n = 0 has no mean: the caller reports "no estimate" rather than carrying a NaN.
  if (!(Number.isFinite(n) && n >= 1)) throw new RangeError(`n must be a finite number ≥ 1, got ${n}`);
  requireFinite('sum', s.sum);
  requireNonNegative('sumSquares', s.sumSquares);
  return {
    n,
    mean: n > 0 ? s.sum / n : Number.NaN,
    variance: n > 1 ? Math.max(0, (s.sumSquares - (s.sum * s.sum) / n) / (n - 1)) : 0,
  };
}

/** Per-user numerator y and denominator x sums → delta-method ratio (as ratioMetric()). */
export function ratioFromSums(s: {
  n: number;
  sumNumerator: number;
  sumDenominator: number;
  sumNumeratorSquares: number;
  sumDenominatorSquares: number;
  sumProducts: number;
}): RatioSummary {
  const { n } = s;
  if (!(Number.isFinite(n) && n >= 2)) throw new RangeError(`n must be a finite number ≥ 2, got ${n}`);
  requireFinite('sumNumerator', s.sumNumerator);
  requireFinite('sumDenominator', s.sumDenominator);
  requireNonNegative('sumNumeratorSquares', s.sumNumeratorSquares);
  requireNonNegative('sumDenominatorSquares', s.sumDenominatorSquares);
  requireFinite('sumProducts', s.sumProducts);
  return ratioFromMoments({
    n,
    meanNumerator: s.sumNumerator / n,
    meanDenominator: s.sumDenominator / n,
    // Σx² − (Σx)²/n can round a hair below 0 for constant data; a variance is never negative.
    varNumerator: Math.max(0, (s.sumNumeratorSquares - s.sumNumerator ** 2 / n) / (n - 1)),
    varDenominator: Math.max(0, (s.sumDenominatorSquares - s.sumDenominator ** 2 / n) / (n - 1)),
    covariance: (s.sumProducts - (s.sumNumerator * s.sumDenominator) / n) / (n - 1),
  });
}

/**
 * Hajek IPW mean from weighted sums, w = 1/p (as ipwMean()): μ = Σwy/Σw and
 * Var ≈ Σw²(y − μ)²/(Σw)² = (Σw²y² − 2μ Σw²y + μ² Σw²)/(Σw)² (cancellation leaves ~1e-15 · Σw²y²/(Σw)²).
 */
export function ipwMeanFromSums(s: {
  sumW: number;
  sumWY: number;
  sumW2: number;
  sumW2Y: number;
  sumW2Y2: number;
}): IpwEstimate {
  requirePositive('sumW', s.sumW);
  requireFinite('sumWY', s.sumWY);
  requireNonNegative('sumW2', s.sumW2);
  requireFinite('sumW2Y', s.sumW2Y);
  requireNonNegative('sumW2Y2', s.sumW2Y2);
  const mean = s.sumWY / s.sumW;
  const variance = Math.max(0, s.sumW2Y2 - 2 * mean * s.sumW2Y + mean * mean * s.sumW2) / s.sumW ** 2;
  return { mean, variance, standardError: Math.sqrt(variance), weightSum: s.sumW };
}

/** Sums of an arm's users that have pre-exposure history (x) and their metric y; plus all users' y. */
export interface CupedSums {
  /** All users of the arm. */
  n: number;
  sumY: number;
  sumYSquares: number;
  /** Users with history only. */
  nWithHistory: number;
  sumX: number;
  sumXSquares: number;
  /** Σ x·y over users with history. */
  sumXY: number;
  /** Σ y over users with history (needed for the pooled θ). */
  sumYWithHistory: number;
}

function checkCupedSums(a: CupedSums, prefix: string): void {
  if (!(Number.isFinite(a.n) && a.n >= 0))
    throw new RangeError(`${prefix}n must be a finite number ≥ 0, got ${a.n}`);
  if (!(a.nWithHistory >= 0 && a.nWithHistory <= a.n))
    throw new RangeError(`${prefix}nWithHistory must be in [0, ${prefix}n], got ${a.nWithHistory}`);
  requireFinite(`${prefix}sumY`, a.sumY);
  requireNonNegative(`${prefix}sumYSquares`, a.sumYSquares);
  requireFinite(`${prefix}sumX`, a.sumX);
  requireNonNegative(`${prefix}sumXSquares`, a.sumXSquares);
  requireFinite(`${prefix}sumXY`, a.sumXY);
  requireFinite(`${prefix}sumYWithHistory`, a.sumYWithHistory);
}

/** Pooled θ and x̄ over all arms' users with history (as fitTheta()). */
export function cupedThetaFromSums(arms: readonly CupedSums[]): { theta: number; xMean: number } {
  for (const [i, a] of arms.entries()) checkCupedSums(a, `arms[${i}].`);
  let n = 0;
  let sx = 0;
  let sxx = 0;
  let sy = 0;
  let sxy = 0;
  for (const a of arms) {
    n += a.nWithHistory;
    sx += a.sumX;
    sxx += a.sumXSquares;
    sy += a.sumYWithHistory;
    sxy += a.sumXY;
  }
  if (n === 0) return { theta: 0, xMean: 0 };
  const sxxCentred = sxx - (sx * sx) / n;
  return { theta: sxxCentred > 0 ? (sxy - (sx * sy) / n) / sxxCentred : 0, xMean: sx / n };
}

/**
 * One arm's CUPED-adjusted n, mean and variance (as summarize(cuped(...).adjusted)). With y' = y − θ(x − x̄)
 * for users with history and y' = y otherwise: Σy' = Σy − θ(Σx − n_h x̄) and
 * Σy'² = Σy² − 2θ(Σxy − x̄ Σy_h) + θ²(Σx² − 2x̄Σx + n_h x̄²).
 */
export function cupedFromSums(arm: CupedSums, fit: { theta: number; xMean: number }): MeanArm {
  checkCupedSums(arm, 'arm.');
  const { theta, xMean } = fit;
  requireFinite('fit.theta', theta);
  requireFinite('fit.xMean', xMean);
  const sum = arm.sumY - theta * (arm.sumX - arm.nWithHistory * xMean);
  const sumSquares =
    arm.sumYSquares -
    2 * theta * (arm.sumXY - xMean * arm.sumYWithHistory) +
    theta ** 2 * (arm.sumXSquares - 2 * xMean * arm.sumX + arm.nWithHistory * xMean ** 2);
  return summarizeSums({ n: arm.n, sum, sumSquares });
}
