import { stats as engine } from '@pitchline/core';
import { METRIC_LABELS, type ParsedExperiment } from './config';
import type { Estimate } from './estimates';
import type { LookEstimates, MetricSpec } from './metric-estimates';
import type { ArmResult, HoldoutResult, MetricComparison, MetricResult, VariantResult } from './result-types';
import type { VariantLookStats } from './variant-stats.query';

/** What the per-arm reports are made of: the final look, and the comparisons already made. */
export interface ArmReportInput {
  armKeys: readonly string[];
  specs: readonly MetricSpec[];
  alpha: number;
  /** The arms' sums at the last look. */
  finalStats: readonly VariantLookStats[];
  final: LookEstimates;
  exposures: ReadonlyMap<string, number>;
  vsControl: ReadonlyMap<number, MetricComparison[]>;
  vsHoldout: ReadonlyMap<number, MetricComparison[]>;
}

/** Counts and every metric of one arm, its interval, and its comparisons with the control and holdout. */
export function armResult(input: ArmReportInput, ai: number): ArmResult {
  const z = engine.normalQuantile(1 - input.alpha / 2);
  const st = input.finalStats[ai] as VariantLookStats;
  const metrics: MetricResult[] = input.specs.map((s, si) => {
    const est = input.final.estimates[ai]?.[si] as Estimate;
    const se = Math.sqrt(est.variance);
    const control = input.vsControl.get(ai)?.[si];
    const holdout = input.vsHoldout.get(ai)?.[si];
    return {
      metric: s.metric,
      label: METRIC_LABELS[s.metric],
      role: s.role,
      value: est.mean,
      ci: [est.mean - z * se, est.mean + z * se],
      method: est.method,
      ...(control ? { vsControl: control } : {}),
      ...(holdout ? { vsHoldout: holdout } : {}),
    };
  });
  return {
    key: input.armKeys[ai] as string,
    exposedUsers: st.n,
    exposures: input.exposures.get(input.armKeys[ai] as string) ?? 0,
    conversions: st.outcomes.conv.s,
    addToCarts: st.outcomes.cart.s,
    revenue: st.revenue,
    metrics,
  };
}

/** Every defined variant's report, with the guardrails it breached (significantly worse than the control). */
export function variantResults(experiment: ParsedExperiment, input: ArmReportInput): VariantResult[] {
  return experiment.variants.map((def, vi) => {
    const arm = armResult(input, vi);
    const breached = def.isControl
      ? []
      : arm.metrics
          .filter((m) => m.role === 'guardrail' && m.vsControl?.direction === 'worse')
          .map((m) => m.metric);
    return {
      ...arm,
      isControl: def.isControl,
      weight: def.weight,
      guardrails: { status: def.isControl ? 'control' : breached.length > 0 ? 'breached' : 'ok', breached },
    };
  });
}

/**
 * The holdout's report, with its share as its users' exposures logged it (the latest), or the
 * definition's percentage before anyone was held out.
 */
export function holdoutResult(
  experiment: ParsedExperiment,
  input: ArmReportInput,
  holdoutIndex: number,
): HoldoutResult {
  const stats = input.finalStats[holdoutIndex];
  return {
    ...armResult(input, holdoutIndex),
    share: Number.isFinite(stats?.probability.last)
      ? (stats?.probability.last as number)
      : experiment.holdoutPercent / 100,
  };
}
