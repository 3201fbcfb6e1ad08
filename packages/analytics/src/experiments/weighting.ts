import type { ExperimentResults } from './result-types';
import type { VariantLookStats } from './variant-stats.query';

/**
 * Logged probabilities of one arm that differ by more than this (relatively) mean its share changed
 * during the run; below it they are the same bucket share printed twice.
 */
const PROBABILITY_TOLERANCE = 1e-9;

const fmtShare = (p: number) => `${(100 * p).toFixed(1)}%`;

/** The arms whose logged probability changed during the run, each with its range ("b 50.0%–20.0%"). */
export function probabilityChanges(arms: readonly VariantLookStats[]): string[] {
  return arms
    .filter(
      (a) => a.n > 0 && a.probability.max - a.probability.min > PROBABILITY_TOLERANCE * a.probability.max,
    )
    .map((a) => `${a.variant} ${fmtShare(a.probability.min)}–${fmtShare(a.probability.max)}`);
}

/**
 * Plain means are unbiased only if each arm's share stayed put; otherwise users of different periods are
 * mixed in different proportions per arm (Simpson's paradox when the baseline drifts), and the Hájek
 * estimator re-weights every arm to the same mix. Decided once for the whole run from the final look's
 * logged probabilities (`changes`, from probabilityChanges), so every look of the sequential test uses the
 * same estimator.
 */
export function chooseWeighting(
  mode: 'fixed' | 'bandit',
  changes: readonly string[],
): ExperimentResults['weighting'] {
  if (mode === 'bandit') {
    return {
      method: 'ipw',
      reason: 'Bandit mode moves traffic on purpose: means are weighted by 1/assignment probability.',
    };
  }
  if (changes.length > 0) {
    return {
      method: 'ipw',
      reason: `Assignment shares changed during the run (${changes.join('; ')}): means are weighted by 1/assignment probability so that every arm stands for the same mix of periods.`,
    };
  }
  return { method: 'plain', reason: 'Every arm kept its share for the whole run: plain means.' };
}
