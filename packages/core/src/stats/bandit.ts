import { createRng, sampleBeta } from './random';

export interface BanditArm {
  successes: number;
  failures: number;
}

export interface TopTwoOptions {
  /** Minimum weight of every arm, so no arm starves and IPW weights stay bounded (≤ 1/floor). */
  floor?: number;
  /** Probability of playing the sampled leader rather than the challenger (Russo 2020 uses 0.5). */
  beta?: number;
  /** Monte Carlo draws; the weights' standard error is ≤ 0.5/√draws. */
  draws?: number;
  seed?: number;
  /** Resamples allowed to find a challenger before taking the best other arm of the last draw. */
  maxResample?: number;
}

/**
 * Top-two Thompson sampling (Russo 2020, "Simple Bayesian algorithms for best-arm identification",
 * Operations Research 68(6)), Beta(1 + s, 1 + f) posteriors. One round: draw θ from every posterior,
 * the leader I = argmax θ; with probability β play I, otherwise redraw until another arm J is the argmax
 * and play J. Unlike plain Thompson sampling it keeps exploring the runner-up, which is what picking a
 * winner (not maximising sales during the test) needs. The play probabilities are estimated by `draws`
 * seeded rounds, then mixed with the uniform floor: w_i = floor + (1 − k·floor) ŵ_i, so Σw = 1, w_i ≥ floor.
 * The weight in force is logged with every exposure (pitch_exposure.assignment_probability) for IPW.
 */
export function topTwoThompsonWeights(arms: readonly BanditArm[], options: TopTwoOptions = {}): number[] {
  const k = arms.length;
  const floor = options.floor ?? 0.05;
  const beta = options.beta ?? 0.5;
  const draws = options.draws ?? 10_000;
  const maxResample = options.maxResample ?? 100;
  if (k === 0) return [];
  if (k === 1) return [1];
  if (!(floor >= 0 && floor * k <= 1)) throw new RangeError(`floor must be in [0, 1/${k}], got ${floor}`);
  const rng = createRng(options.seed ?? 0x5eed);
  const counts = new Array<number>(k).fill(0);
  const theta = new Array<number>(k).fill(0);
  const sample = (): void => {
    for (let i = 0; i < k; i++) {
      const arm = arms[i] as BanditArm;
      theta[i] = sampleBeta(rng, 1 + arm.successes, 1 + arm.failures);
    }
  };
  const argmax = (skip: number): number => {
    let best = -1;
    for (let i = 0; i < k; i++) {
      if (i !== skip && (best < 0 || (theta[i] as number) > (theta[best] as number))) best = i;
    }
    return best;
  };
  for (let d = 0; d < draws; d++) {
    sample();
    const leader = argmax(-1);
    if (rng.next() < beta) {
      counts[leader] = (counts[leader] as number) + 1;
      continue;
    }
    let challenger = -1;
    for (let r = 0; r < maxResample; r++) {
      sample();
      const top = argmax(-1);
      if (top !== leader) {
        challenger = top;
        break;
      }
    }
    // A leader this dominant leaves ~no posterior mass elsewhere; the best other arm of the last draw
    // approximates the conditional draw.
    if (challenger < 0) challenger = argmax(leader);
    counts[challenger] = (counts[challenger] as number) + 1;
  }
  return counts.map((c) => floor + (1 - k * floor) * (c / draws));
}
