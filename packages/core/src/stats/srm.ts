import { chiSquareSf } from './distributions';
import { significantAt } from './multiple';
import { requireAlpha, requireNonNegative } from './validate';

export interface SrmResult {
  chiSquare: number;
  df: number;
  pValue: number;
  expected: number[];
  /** True when p ≤ threshold (significantAt, the rule of every test here): the split does not match the weights, so results are not to be trusted. */
  mismatch: boolean;
}

/**
 * Sample-ratio mismatch: Pearson's goodness-of-fit χ² = Σ (O_i − E_i)²/E_i, E_i = N w_i / Σw, with
 * k − 1 degrees of freedom (SciPy `chisquare`). The threshold is strict (default 0.001, as in Fabijan et
 * al. 2019, "Diagnosing sample ratio mismatch in online controlled experiments") because the check runs
 * at every look on large samples and a false alarm stops a healthy experiment.
 *
 * `weights` only need to be proportional to the expected counts, so the expected counts themselves can
 * be passed. That is how a split that changed during the run is checked (analytics
 * srm-expected.query.ts): E_i = Σ_users p_i(t_u), the share of arm i in force at each user's first
 * exposure, Σ_i E_i = N. Each user is then a categorical draw with its own probabilities, so
 * Var(O_i) = Σ_u p_i(t_u)(1 − p_i(t_u)) ≤ E_i(1 − E_i/N), the multinomial variance: the χ²_{k−1}
 * reference is conservative, never more false alarms than the threshold (A/A in analysis.aa.test.ts).
 */
export function sampleRatioMismatch(input: {
  observed: readonly number[];
  weights: readonly number[];
  threshold?: number;
}): SrmResult {
  const { observed, weights } = input;
  const threshold = input.threshold ?? 0.001;
  if (observed.length !== weights.length || observed.length < 2) {
    throw new RangeError('sampleRatioMismatch needs as many weights as arms, and at least 2 arms');
  }
  observed.forEach((o, i) => {
    requireNonNegative(`observed[${i}]`, o);
  });
  weights.forEach((w, i) => {
    requireNonNegative(`weights[${i}]`, w);
  });
  requireAlpha(threshold, 'threshold');
  const total = observed.reduce((s, x) => s + x, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  if (!(weightSum > 0)) throw new RangeError('weights must be ≥ 0 with a positive sum');
  const expected = weights.map((w) => (total * w) / weightSum);
  let chi = 0;
  let df = -1;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i] as number;
    const o = observed[i] as number;
    if (e > 0) {
      chi += (o - e) ** 2 / e;
      df += 1;
    } else if (o > 0) {
      // Traffic in an arm with weight 0 is a mismatch whatever the counts.
      chi = Number.POSITIVE_INFINITY;
    }
  }
  const pValue = total === 0 ? 1 : chi === Number.POSITIVE_INFINITY ? 0 : chiSquareSf(chi, Math.max(1, df));
  return {
    chiSquare: chi,
    df: Math.max(1, df),
    pValue,
    expected,
    mismatch: significantAt(pValue, threshold),
  };
}
