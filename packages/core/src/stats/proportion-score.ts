import type { BinaryArm, Interval } from './types';

/**
 * Miettinen–Nurminen score test of H0: p_t − p_c = Δ and the interval that inverts it (Miettinen &
 * Nurminen 1985; statsmodels `score_test_proportions_2indep` / `confint_proportions_2indep`, method
 * 'score', with its variance correction N/(N − 1)). The variance uses p̃_t, p̃_c, the maximum-likelihood
 * rates restricted to p̃_t − p̃_c = Δ (restrictedControlRate):
 *   z(Δ) = (p̂_t − p̂_c − Δ) / √((p̃_t(1−p̃_t)/n_t + p̃_c(1−p̃_c)/n_c) · N/(N − 1)).
 * At Δ = 0 both restricted rates are the pooled rate, so z(0) is the pooled z-test (times √((N−1)/N)),
 * the test whose size is nominal; the interval is {Δ : |z(Δ)| ≤ z_{1−α/2}}, so the p-value of z(0) is
 * below α exactly when the interval excludes 0. Unlike the Wald interval it stays sensible with no
 * conversions in an arm (its width never collapses to 0).
 * Internal to compareProportions (which validates the arms): not part of the engine's public surface.
 */
export function scoreStatistic(t: BinaryArm, c: BinaryArm, delta: number): number {
  const n = t.n + c.n;
  const x = t.conversions + c.conversions;
  const diff = t.conversions / t.n - c.conversions / c.n;
  const pc = delta === 0 ? x / n : restrictedControlRate(t, c, delta);
  const pt = pc + delta;
  const variance = ((pt * (1 - pt)) / t.n + (pc * (1 - pc)) / c.n) * (n / (n - 1));
  const num = diff - delta;
  if (!(variance > 0)) return num === 0 ? 0 : Math.sign(num) * Number.POSITIVE_INFINITY;
  return num / Math.sqrt(variance);
}

/**
 * The control rate maximising the binomial likelihood on the segment p_t = p_c + Δ, 0 ≤ p_c, p_t ≤ 1.
 * The log-likelihood is concave there, so bisection on its derivative finds the maximum, at an end of
 * the segment when the stationary point lies outside it (an arm with no conversions, or all). The usual
 * closed form, a root of a cubic (Farrington & Manning 1990), picks a point outside the segment in those
 * cases and broke the interval's symmetry under swapping the arms.
 */
function restrictedControlRate(t: BinaryArm, c: BinaryArm, delta: number): number {
  let lo = Math.max(0, -delta);
  let hi = Math.min(1, 1 - delta);
  const slope = (pc: number): number => {
    const pt = pc + delta;
    let g = 0;
    if (t.conversions > 0) g += t.conversions / pt;
    if (t.n > t.conversions) g -= (t.n - t.conversions) / (1 - pt);
    if (c.conversions > 0) g += c.conversions / pc;
    if (c.n > c.conversions) g -= (c.n - c.conversions) / (1 - pc);
    return g;
  };
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const m = (lo + hi) / 2;
    if (slope(m) > 0) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}

/** {Δ ∈ [−1, 1] : |z(Δ)| ≤ zCrit} by bisection on each side of p̂_t − p̂_c (z decreases in Δ). */
export function scoreInterval(t: BinaryArm, c: BinaryArm, zCrit: number): Interval {
  const diff = t.conversions / t.n - c.conversions / c.n;
  const crossing = (from: number, to: number, target: number): number => {
    // z(from) is on the accepting side, z(to) may not be: keep [a, b] straddling z = target.
    if (Math.abs(scoreStatistic(t, c, to)) <= zCrit) return to;
    let a = from;
    let b = to;
    for (let i = 0; i < 200 && Math.abs(b - a) > 1e-15; i++) {
      const m = (a + b) / 2;
      const z = scoreStatistic(t, c, m);
      if (target > 0 ? z <= target : z >= target) a = m;
      else b = m;
    }
    return a;
  };
  return [crossing(diff, -1, zCrit), crossing(diff, 1, -zCrit)];
}
