import { HIGHER_IS_BETTER, METRIC_LABELS, type ParsedResultsOptions } from './config';
import { DAY } from './looks';
import type { ExperimentResults, VariantResult } from './result-types';
import type { VerdictInput } from './verdict';

/**
 * What decideVerdict judges: each variant's primary comparison with the control (spec 0), its breached
 * guardrails, SRM, and how long the experiment ran (a stop ends the clock, not the analysis).
 */
export function verdictInput(
  o: ParsedResultsOptions,
  p: {
    nowMs: number;
    variants: readonly VariantResult[];
    controlIndex: number;
    srm: ExperimentResults['srm'];
  },
): VerdictInput {
  const e = o.experiment;
  return {
    alpha: o.alpha,
    srm: { flagged: p.srm.status === 'mismatch', pValue: p.srm.pValue },
    elapsedDays: (Math.min(p.nowMs, e.stoppedAt ?? p.nowMs) - e.startedAt) / DAY,
    maxDurationDays: o.maxDurationDays,
    minimumDetectableEffect: o.minimumDetectableEffect,
    primaryLabel: METRIC_LABELS[e.primaryMetric],
    variants: p.variants.map((v, vi) => {
      const cmp = v.metrics[0]?.vsControl;
      return {
        key: v.key,
        isControl: vi === p.controlIndex,
        breachedGuardrails: v.guardrails.breached,
        ...(cmp
          ? {
              primary: {
                adjustedSequentialP: cmp.adjustedPValue,
                lift: cmp.lift,
                ...(cmp.liftReason !== undefined ? { liftReason: cmp.liftReason } : {}),
                better: HIGHER_IS_BETTER[e.primaryMetric] ? cmp.difference > 0 : cmp.difference < 0,
                // No interval (zero control, no counted look) never counts as "inside ±MDE".
                sequentialLiftCi: cmp.sequentialLiftCi ?? [Number.NaN, Number.NaN],
              },
            }
          : {}),
      };
    }),
  };
}
