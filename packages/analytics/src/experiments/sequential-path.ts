import { stats as engine } from '@pitchline/core';
import type { Estimate } from './estimates';

/**
 * Burn-in of the sequential test: a look counts only once both arms have this many users, because the
 * mSPRT's normal likelihood needs the CLT. Skipping looks never hurts the always-valid guarantee.
 */
export const MIN_USERS_PER_LOOK = 100;

export interface SequentialPath {
  /** Always-valid p-value as of the last look. */
  p: number;
  /** Confidence sequence of the difference as of the last look. */
  ci: [number, number];
  /** The p-value as of each look. */
  path: number[];
  /**
   * Confidence sequence of the relative lift as of the last look; null when no counted look had a
   * non-zero control (no ratio to bound).
   */
  liftCi: [number, number] | null;
}

/**
 * Always-valid p-value and confidence sequence of arm − reference on one metric, look after look: the
 * running minimum of 1/Λ and the running intersection of the intervals (sequential.ts for Λ).
 *
 * mSPRT mixing scale: τ = mixingEffect × baseline, the baseline being the pooled mean of both arms
 * (under H0 it does not depend on the assignment), re-estimated at each look; see mixingEffect in
 * config.ts for the choice. A zero baseline (nothing happened yet) falls back to the observed variance.
 * A look counts once both arms have MIN_USERS_PER_LOOK users.
 *
 * The relative lift gets its own confidence sequence: the same mixture bound applied to the lift's
 * delta-method estimate and variance (relativeLiftInterval), with τ = mixingEffect on the relative scale
 * (the mixing scale's definition), intersected over looks. Dividing the difference's sequence by the
 * control mean would treat that mean as known and make the interval too narrow when the control is
 * small or young.
 */
export function sequentialPath(
  looks: readonly Estimate[][],
  arm: number,
  reference: number,
  alpha: number,
  mixingEffect: number,
): SequentialPath {
  const path: number[] = [];
  let p = 1;
  let ci: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  let liftCi: [number, number] | null = null;
  for (const l of looks) {
    const t = l[arm] as Estimate;
    const c = l[reference] as Estimate;
    const estimate = t.mean - c.mean;
    const variance = t.variance + c.variance;
    if (Number.isFinite(estimate) && variance > 0 && t.n >= MIN_USERS_PER_LOOK && c.n >= MIN_USERS_PER_LOOK) {
      const baseline = (t.mean * t.n + c.mean * c.n) / (t.n + c.n);
      const tau = mixingEffect * Math.abs(baseline);
      const r = engine.msprt(
        { estimate, variance, tau2: tau > 0 ? tau * tau : variance },
        { alpha, previousPValue: p },
      );
      p = r.pValue;
      ci = [Math.max(ci[0], r.ci[0]), Math.min(ci[1], r.ci[1])];
      const lift = engine.relativeLiftInterval({ treatment: t, control: c, alpha });
      if (lift.value !== null && lift.standardError !== null && lift.standardError > 0) {
        const lr = engine.msprt(
          { estimate: lift.value, variance: lift.standardError ** 2, tau2: mixingEffect ** 2 },
          { alpha },
        );
        liftCi = liftCi
          ? [Math.max(liftCi[0], lr.ci[0]), Math.min(liftCi[1], lr.ci[1])]
          : [lr.ci[0], lr.ci[1]];
      }
    }
    path.push(p);
  }
  return { p, ci, path, liftCi };
}
