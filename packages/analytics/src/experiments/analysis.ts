import { compareArms, primaryPValuePaths } from './arm-comparisons';
import { layoutArms } from './arm-layout';
import { type ArmReportInput, holdoutResult, variantResults } from './arm-results';
import type { ParsedResultsOptions } from './config';
import { DAY, statsByLookAndArm } from './looks';
import { estimateLooks, metricSpecs } from './metric-estimates';
import { primarySeries } from './primary-series';
import type { ExperimentResults, MetricComparison } from './result-types';
import { sampleRatio } from './sample-ratio';
import type { SrmArmCount } from './srm-expected.query';
import type { VariantLookStats } from './variant-stats.query';
import { decideVerdict } from './verdict';
import { verdictInput } from './verdict-input';
import { chooseWeighting, probabilityChanges } from './weighting';

/*
 * The pure half of the results: sufficient statistics per (look, arm) in, estimates, always-valid tests,
 * SRM and verdict out. No I/O, so the A/A simulation (analysis.aa.test.ts) runs exactly this code with
 * exactly these settings, without ClickHouse.
 */

export interface AnalysisInput {
  options: ParsedResultsOptions;
  /** Look cutoffs (lookCutoffs), the last one is "now". */
  cutoffs: number[];
  /** Sums per (look, arm) as variant-stats.query returns them; missing rows are empty arms. */
  rows: readonly VariantLookStats[];
  /** Exposure events per arm key. */
  exposures: ReadonlyMap<string, number>;
  /** Observed and expected users per arm that logged exposures (srm-expected.query). */
  srmCounts: readonly SrmArmCount[];
}

/** Per-arm results of one experiment from its sums per look, with the verdict they imply. */
export function analyseExperiment(input: AnalysisInput): ExperimentResults {
  const o = input.options;
  const e = o.experiment;
  const { cutoffs } = input;
  const nowMs = cutoffs.at(-1) as number;
  const specs = metricSpecs(e);

  const arms = layoutArms(e, input);
  const stats = statsByLookAndArm(cutoffs, arms.keys, input.rows);
  const finalStats = stats.at(-1) as VariantLookStats[];
  const shareChanges = probabilityChanges(finalStats);
  const weighting = chooseWeighting(e.mode, shareChanges);
  const looks = estimateLooks(stats, specs, weighting.method === 'ipw');
  const final = looks.at(-1);
  if (!final) throw new Error('no look');

  const settings = { specs, looks, alpha: o.alpha, mixingEffect: o.mixingEffect };
  const treatments = e.variants.map((_, vi) => vi).filter((vi) => vi !== arms.controlIndex);
  const vsControl = compareArms(settings, arms.controlIndex, treatments);
  const vsHoldout =
    arms.holdoutIndex >= 0
      ? compareArms(
          settings,
          arms.holdoutIndex,
          e.variants.map((_, vi) => vi),
        )
      : new Map<number, MetricComparison[]>();

  const report: ArmReportInput = {
    armKeys: arms.keys,
    specs,
    alpha: o.alpha,
    finalStats,
    final,
    exposures: input.exposures,
    vsControl,
    vsHoldout,
  };
  const variants = variantResults(e, report);
  const holdout = arms.holdoutIndex >= 0 ? holdoutResult(e, report, arms.holdoutIndex) : undefined;
  const srm = sampleRatio(o, arms.keys, input.srmCounts, shareChanges.length > 0);
  const verdict = decideVerdict(
    verdictInput(o, {
      nowMs,
      variants,
      controlIndex: arms.controlIndex,
      srm,
    }),
  );
  const series = primarySeries({
    cutoffs,
    variantCount: e.variants.length,
    stats,
    looks,
    controlIndex: arms.controlIndex,
    primaryPaths: primaryPValuePaths(settings, arms.controlIndex, treatments),
  });

  return {
    experimentId: e.id,
    key: e.key,
    mode: e.mode,
    alpha: o.alpha,
    primaryMetric: e.primaryMetric,
    asOf: nowMs,
    startedAt: e.startedAt,
    elapsedDays: (nowMs - e.startedAt) / DAY,
    looks: cutoffs.length,
    srm,
    weighting,
    cuped: {
      applied: final.theta !== undefined && specs.some((s) => s.metric === 'revenue_per_user'),
      ...(final.theta ? { theta: final.theta.theta } : {}),
      usersWithHistory: final.historyUsers,
    },
    ...(o.revenueCapQuantile !== undefined ? { revenueCap: { quantile: o.revenueCapQuantile } } : {}),
    variants,
    ...(holdout ? { holdout } : {}),
    unknownVariants: arms.unknownVariants,
    verdict,
    series,
  };
}
