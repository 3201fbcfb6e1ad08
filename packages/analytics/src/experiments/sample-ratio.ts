import { stats as engine, HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import type { ParsedResultsOptions } from './config';
import type { ExperimentResults } from './result-types';
import type { SrmArmCount } from './srm-expected.query';

/** SRM is flagged at p ≤ 0.001: a real split bug gives tiny p-values, so a strict bar avoids false alarms. */
export const SRM_THRESHOLD = 0.001;

/**
 * SRM against the split in force at each user's first exposure (srm-expected.query.ts), in both modes.
 * An arm that never logged an exposure has no logged share: it is expected to have received its share
 * of today's configuration (the variants' weights, the holdout's percentage) — a variant nobody ever
 * hears is the plainest split bug there is — and the logged arms' expectations shrink to make room.
 */
export function sampleRatio(
  o: ParsedResultsOptions,
  armKeys: readonly string[],
  counts: readonly SrmArmCount[],
  weightsChanged: boolean,
): ExperimentResults['srm'] {
  const e = o.experiment;
  const byArm = new Map(counts.map((c) => [c.arm, c]));
  const total = counts.reduce((s, c) => s + c.observed, 0);
  const weightSum = e.variants.reduce((s, v) => s + v.weight, 0);
  const configuredShare = (key: string) => {
    const holdout = e.holdoutPercent / 100;
    if (key === HOLDOUT_VARIANT_KEY) return holdout;
    const w = e.variants.find((v) => v.key === key)?.weight ?? 0;
    return weightSum > 0 ? ((1 - holdout) * w) / weightSum : 0;
  };
  const missing = armKeys.filter((k) => !byArm.has(k));
  const missingShare = Math.min(
    1,
    missing.reduce((s, k) => s + configuredShare(k), 0),
  );
  const arms = armKeys.map((key) => {
    const c = byArm.get(key);
    return {
      key,
      observed: c?.observed ?? 0,
      expected: c ? c.expected * (1 - missingShare) : total * configuredShare(key),
    };
  });
  if (total === 0) {
    return { status: 'ok', chiSquare: 0, pValue: 1, threshold: SRM_THRESHOLD, arms, weightsChanged };
  }
  // E_j are counts summing to N, so passing them as the weights gives E_j = N·E_j/ΣE = E_j.
  const test = engine.sampleRatioMismatch({
    observed: arms.map((a) => a.observed),
    weights: arms.map((a) => a.expected),
    threshold: SRM_THRESHOLD,
  });
  return {
    status: test.mismatch ? 'mismatch' : 'ok',
    chiSquare: test.chiSquare,
    pValue: test.pValue,
    threshold: SRM_THRESHOLD,
    arms,
    weightsChanged,
  };
}
