import { bayesBinaryMulti } from './bayes';
import { requireNonNegative } from './validate';

export interface BanditArm {
  successes: number;
  failures: number;
}

export interface TopTwoOptions {
  /** Minimum weight of every arm, so no arm starves and IPW weights stay bounded (≤ 1/floor). */
  floor?: number;
  /** Probability of playing the sampled leader rather than the challenger (Russo 2020 uses 0.5). */
  beta?: number;
  /**
   * Accepted for callers written against a Monte Carlo version; unused: the play probabilities are
   * computed by deterministic quadrature, so they need neither draws nor a seed.
   */
  draws?: number;
  seed?: number;
}

/**
 * Top-two Thompson sampling (Russo 2020, "Simple Bayesian algorithms for best-arm identification",
 * Operations Research 68(6)) with Beta(1 + s, 1 + f) posteriors. One round draws θ from every posterior;
 * the leader I = argmax θ is played with probability β, otherwise θ is redrawn until another arm J is
 * the argmax and J is played. Unlike plain Thompson sampling it keeps exploring the runner-up, which is
 * what picking a winner (rather than maximising sales during the test) needs.
 *
 * The play probabilities follow in closed form from a_i = P(arm i is best): I ~ a, and J given I has
 * P(J = j | I) = a_j / Σ_{m≠I} a_m, so ψ_i = β a_i + (1 − β) Σ_{I≠i} a_I · a_i / Σ_{m≠I} a_m.
 * a_i comes from bayesBinaryMulti (quadrature, error ~1e-9), so the weights are exact and reproducible
 * with no Monte Carlo noise (a sampled version needs many redraws when one arm dominates).
 * Then the floor: w_i = floor + (1 − k·floor) ψ_i, so Σw = 1 and w_i ≥ floor. The weight in force is
 * logged with every exposure (pitch_exposure.assignment_probability) for inverse-propensity weighting.
 */
export function topTwoThompsonWeights(arms: readonly BanditArm[], options: TopTwoOptions = {}): number[] {
  const k = arms.length;
  const floor = options.floor ?? 0.05;
  const beta = options.beta ?? 0.5;
  arms.forEach((a, i) => {
    requireNonNegative(`arms[${i}].successes`, a.successes);
    requireNonNegative(`arms[${i}].failures`, a.failures);
  });
  if (!(floor >= 0 && floor * Math.max(k, 1) <= 1))
    throw new RangeError(`options.floor must be in [0, 1/${k}], got ${floor}`);
  if (!(beta >= 0 && beta <= 1)) throw new RangeError(`options.beta must be in [0, 1], got ${beta}`);
  if (k === 0) return [];
  if (k === 1) return [1];
  const { chanceToBeBest } = bayesBinaryMulti({
    arms: arms.map((a) => ({ n: a.successes + a.failures, conversions: a.successes })),
  });
  const total = chanceToBeBest.reduce((s, x) => s + x, 0);
  const best = chanceToBeBest.map((x) => x / total);
  const means = arms.map((a) => (1 + a.successes) / (2 + a.successes + a.failures));
  const psi = best.map((a) => beta * a);
  for (let leader = 0; leader < k; leader++) {
    const aLeader = best[leader] as number;
    if (aLeader === 0) continue;
    let others = 0;
    for (let j = 0; j < k; j++) if (j !== leader) others += best[j] as number;
    if (others > 0) {
      for (let j = 0; j < k; j++) {
        if (j !== leader) psi[j] = (psi[j] as number) + (1 - beta) * aLeader * ((best[j] as number) / others);
      }
    } else {
      // No posterior mass left elsewhere: the challenger is the best other arm by posterior mean.
      let runnerUp = -1;
      for (let j = 0; j < k; j++) {
        if (j !== leader && (runnerUp < 0 || (means[j] as number) > (means[runnerUp] as number)))
          runnerUp = j;
      }
      psi[runnerUp] = (psi[runnerUp] as number) + (1 - beta) * aLeader;
    }
  }
  return psi.map((p) => floor + (1 - k * floor) * p);
}
