import { studentTCdf, studentTQuantile } from './distributions';
import { relativeLiftInterval } from './lift';
import type { Interval, MeanArm } from './types';
import { requireAlpha, requireFiniteArray, requireMeanArm } from './validate';

/**
 * n, mean and unbiased variance s² = Σ(x − x̄)² / (n − 1), by Welford's update so large revenue values
 * do not lose precision to cancellation (Welford 1962). Variance is 0 for n < 2.
 */
export function summarize(values: readonly number[]): MeanArm {
  requireFiniteArray('values', values);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of values) {
    n += 1;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return { n, mean: n > 0 ? mean : Number.NaN, variance: n > 1 ? m2 / (n - 1) : 0 };
}

export interface MeanComparison {
  /** m_t − m_c */
  diff: number;
  diffCi: Interval;
  /** m_t / m_c − 1; null when the control mean is zero (relativeLiftReason says so). */
  relativeLift: number | null;
  relativeLiftReason?: string;
  relativeLiftCi: Interval | null;
  standardError: number;
  t: number;
  df: number;
  pValue: number;
}

/**
 * Welch's unequal-variance t-test on summary statistics (Welch 1947; SciPy `ttest_ind(equal_var=False)`).
 * se = √(s_t²/n_t + s_c²/n_c), t = (m_t − m_c)/se, Welch–Satterthwaite
 * ν = se⁴ / ((s_t²/n_t)²/(n_t−1) + (s_c²/n_c)²/(n_c−1)), p = 2(1 − F_ν(|t|)), CI = diff ± t_{1−α/2,ν} se.
 *
 * Relative lift R = m_t/m_c − 1 with the delta method on the ratio itself (Deng, Knoblich & Lu 2018,
 * "Applying the delta method in metric analytics"): Var(R) ≈ s_t²/(n_t m_c²) + m_t² s_c²/(n_c m_c⁴),
 * CI = R ± z_{1−α/2} √Var. Not on the log scale as for proportions: revenue means can be 0.
 */
export function welchTTest(input: { control: MeanArm; treatment: MeanArm; alpha?: number }): MeanComparison {
  const { control: c, treatment: t } = input;
  const alpha = input.alpha ?? 0.05;
  requireMeanArm('control', c, 2);
  requireMeanArm('treatment', t, 2);
  requireAlpha(alpha);
  const vc = c.variance / c.n;
  const vt = t.variance / t.n;
  const se = Math.sqrt(vc + vt);
  const diff = t.mean - c.mean;
  let tStat: number;
  let df: number;
  let pValue: number;
  if (se > 0) {
    tStat = diff / se;
    df = (vc + vt) ** 2 / (vc ** 2 / (c.n - 1) + vt ** 2 / (t.n - 1));
    pValue = Math.min(1, 2 * studentTCdf(-Math.abs(tStat), df));
  } else {
    // Constant data: any difference is certain, none is no evidence.
    tStat = diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
    df = c.n + t.n - 2;
    pValue = diff === 0 ? 1 : 0;
  }
  const tCrit = se > 0 ? studentTQuantile(1 - alpha / 2, df) : 0;

  const lift = relativeLiftInterval({
    treatment: { mean: t.mean, variance: vt },
    control: { mean: c.mean, variance: vc },
    alpha,
  });
  const relativeLiftCi = lift.ci;

  return {
    diff,
    diffCi: [diff - tCrit * se, diff + tCrit * se],
    relativeLift: lift.value,
    ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
    relativeLiftCi,
    standardError: se,
    t: tStat,
    df,
    pValue,
  };
}
