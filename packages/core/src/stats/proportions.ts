import { normalQuantile, normalSf } from './distributions';
import { relativeLift, ZERO_CONTROL_CONVERSIONS } from './lift';
import type { BinaryArm, Interval } from './types';

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
  /** Unpooled standard error of diff (the one the CI uses). */
  standardError: number;
  z: number;
  pValue: number;
}

/**
 * Two independent proportions, treatment vs control.
 *
 * Test (H0: p_t = p_c): pooled z = (p_t − p_c) / √(p̄(1−p̄)(1/n_t + 1/n_c)), p̄ = (x_t + x_c)/(n_t + n_c),
 * two-sided p = 2(1 − Φ(|z|)). Pooled because under H0 both arms share one rate, which gives the
 * test its nominal size (statsmodels `proportions_ztest`).
 *
 * Difference CI (Wald, unpooled): d ± z_{1−α/2} √(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c); unpooled because the
 * interval describes the data when the rates differ (statsmodels `confint_proportions_2indep`,
 * method 'wald').
 *
 * Relative lift CI, delta method on the log of the ratio R = p_t / p_c:
 * Var(ln R) ≈ (1−p_t)/(n_t p_t) + (1−p_c)/(n_c p_c) = 1/x_t − 1/n_t + 1/x_c − 1/n_c,
 * lift CI = exp(ln R ± z √Var) − 1. The log scale keeps the interval inside (−1, ∞) and is less skewed
 * than the delta method on R itself (statsmodels method 'log'; Katz et al. 1978). Undefined (null) when
 * either arm has no conversions.
 */
export function compareProportions(input: {
  control: BinaryArm;
  treatment: BinaryArm;
  alpha?: number;
}): ProportionComparison {
  const { control, treatment } = input;
  const alpha = input.alpha ?? 0.05;
  assertArm(control, 'control');
  assertArm(treatment, 'treatment');
  const pc = control.conversions / control.n;
  const pt = treatment.conversions / treatment.n;
  const diff = pt - pc;
  const zCrit = normalQuantile(1 - alpha / 2);

  const se = Math.sqrt((pt * (1 - pt)) / treatment.n + (pc * (1 - pc)) / control.n);
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  // All-zero or all-converted data carry no evidence of a difference.
  const z = sePooled > 0 ? diff / sePooled : 0;
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
    diffCi: [diff - zCrit * se, diff + zCrit * se],
    relativeLift: lift.value,
    ...(lift.reason !== undefined ? { relativeLiftReason: lift.reason } : {}),
    relativeLiftCi,
    standardError: se,
    z,
    pValue,
  };
}

function assertArm(arm: BinaryArm, name: string): void {
  if (!(arm.n > 0) || arm.conversions < 0 || arm.conversions > arm.n) {
    throw new RangeError(`${name}: need n > 0 and 0 ≤ conversions ≤ n, got ${arm.conversions}/${arm.n}`);
  }
}
