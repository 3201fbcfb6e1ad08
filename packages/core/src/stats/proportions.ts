import { normalQuantile, normalSf } from './distributions';
import { relativeLift, ZERO_CONTROL_CONVERSIONS } from './lift';
import { scoreInterval, scoreStatistic } from './proportion-score';
import type { BinaryArm, Interval } from './types';
import { requireAlpha, requireBinaryArm } from './validate';

export interface ProportionComparison {
  controlRate: number;
  treatmentRate: number;
  /** p_t − p_c */
  diff: number;
  diffCi: Interval;
  /** p_t / p_c − 1; null when the control converted nobody (relativeLiftReason says so). */
  relativeLift: number | null;
  relativeLiftReason?: string;
  /** null when either arm has no conversions (the log-ratio interval needs both). */
  relativeLiftCi: Interval | null;
  /** Unpooled standard error of diff (descriptive; the test's own variance is the null one). */
  standardError: number;
  /** Miettinen–Nurminen score z at Δ = 0: the pooled z-test with the N/(N − 1) variance correction. */
  z: number;
  /** Two-sided p of that score test; diffCi inverts the same test, so pValue < α ⇔ 0 ∉ diffCi. */
  pValue: number;
}

/**
 * Two independent proportions, treatment vs control.
 *
 * One test gives both the p-value and the difference interval, so they never disagree (a pooled-z
 * p-value beside an unpooled Wald interval did: 50/1000 vs 10/100 had p = 0.036 with an interval
 * containing 0). The test is Miettinen–Nurminen's score test (proportion-score.ts): at Δ = 0 it is the
 * pooled z-test, whose size is nominal (an unpooled Wald test rejects an A/A ~5.4 % of the time at
 * α = 0.05 with 100 users per arm and a 5 % rate), and the interval inverts it (statsmodels
 * `test_proportions_2indep` and `confint_proportions_2indep`, method 'score'). All-zero or
 * all-converted arms carry no evidence of a difference (p = 1).
 *
 * Relative lift CI, delta method on the log of the ratio R = p_t / p_c:
 * Var(ln R) ≈ (1−p_t)/(n_t p_t) + (1−p_c)/(n_c p_c) = 1/x_t − 1/n_t + 1/x_c − 1/n_c,
 * lift CI = exp(ln R ± z √Var) − 1. The log scale keeps the interval inside (−1, ∞) and is less skewed
 * than the delta method on R itself (statsmodels method 'log'; Katz et al. 1978). Undefined (null) when
 * either arm has no conversions. It is a different interval from the test's: near the boundary it may
 * include 0 while p < α, or the reverse; the difference interval is the one that matches the p-value.
 */
export function compareProportions(input: {
  control: BinaryArm;
  treatment: BinaryArm;
  alpha?: number;
}): ProportionComparison {
  const { control, treatment } = input;
  const alpha = input.alpha ?? 0.05;
  requireBinaryArm('control', control);
  requireBinaryArm('treatment', treatment);
  requireAlpha(alpha);
  const pc = control.conversions / control.n;
  const pt = treatment.conversions / treatment.n;
  const diff = pt - pc;
  const zCrit = normalQuantile(1 - alpha / 2);

  const se = Math.sqrt((pt * (1 - pt)) / treatment.n + (pc * (1 - pc)) / control.n);
  const z = scoreStatistic(treatment, control, 0);
  const pValue = Math.min(1, 2 * normalSf(Math.abs(z)));

  const lift = relativeLift(pt, pc, ZERO_CONTROL_CONVERSIONS);
  let relativeLiftCi: Interval | null = null;
  if (control.conversions > 0 && treatment.conversions > 0) {
    const logRatio = Math.log(pt / pc);
    const seLog = Math.sqrt(
      1 / treatment.conversions - 1 / treatment.n + 1 / control.conversions - 1 / control.n,
    );
    relativeLiftCi = [Math.exp(logRatio - zCrit * seLog) - 1, Math.exp(logRatio + zCrit * seLog) - 1];
  }

  return {
    controlRate: pc,
    treatmentRate: pt,
    diff,
    diffCi: scoreInterval(treatment, control, zCrit),
    relativeLift: lift.value,
    ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
    relativeLiftCi,
    standardError: se,
    z,
    pValue,
  };
}
