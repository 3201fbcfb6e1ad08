import { normalQuantile, normalSf } from './distributions';
import { relativeLift, ZERO_CONTROL_CONVERSIONS } from './lift';
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
  /** Unpooled standard error of diff: the one both the test and diffCi use. */
  standardError: number;
  /** Unpooled (Wald) z = diff / standardError. */
  z: number;
  /** Two-sided p of the same Wald test, so pValue < α exactly when diffCi excludes 0. */
  pValue: number;
}

/**
 * Two independent proportions, treatment vs control.
 *
 * One Wald test gives both the p-value and the difference interval, so they never disagree (a pooled-z
 * p-value beside an unpooled interval did: 50/1000 vs 10/100 had p = 0.036 with an interval containing 0):
 * se = √(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c), z = (p_t − p_c)/se, two-sided p = 2(1 − Φ(|z|)),
 * CI = d ± z_{1−α/2} se, hence p < α ⇔ 0 ∉ CI (statsmodels `test_proportions_2indep` and
 * `confint_proportions_2indep`, method 'wald'). With se = 0 (both arms all-zero or all-converted) a zero
 * difference is no evidence (p = 1) and a non-zero one is certain (p = 0), matching the point interval.
 * The unpooled test's size is nominal at the sample sizes an experiment reaches (≥ 100 users per arm
 * before any sequential look counts); the results' decisions use the always-valid test anyway.
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
  let z: number;
  let pValue: number;
  if (se > 0) {
    z = diff / se;
    pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  } else {
    z = diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
    pValue = diff === 0 ? 1 : 0;
  }

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
    diffCi: [diff - zCrit * se, diff + zCrit * se],
    relativeLift: lift.value,
    ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
    relativeLiftCi,
    standardError: se,
    z,
    pValue,
  };
}
