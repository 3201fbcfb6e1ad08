import { HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import type { ClickHouseHandle } from '../clickhouse';
import { analyseExperiment } from './analysis';
import { type ResultsOptions, resultsOptionsSchema } from './config';
import { queryExposureCounts } from './exposure-counts.query';
import { lookCutoffs } from './looks';
import type { ExperimentResults } from './result-types';
import { querySrmCounts } from './srm-expected.query';
import { queryVariantStats } from './variant-stats.query';

export { analyseExperiment } from './analysis';
export { lookCutoffs } from './looks';
export type {
  ArmResult,
  ExperimentResults,
  HoldoutResult,
  MetricComparison,
  MetricResult,
  MetricRole,
  SeriesPoint,
  VariantResult,
} from './result-types';
export { SRM_THRESHOLD } from './sample-ratio';
export { MIN_USERS_PER_LOOK } from './sequential-path';

const DAY = 86_400_000;

/**
 * Per-variant results of one experiment from the ClickHouse events, with the verdict they imply: the
 * queries here, the statistics in analysis.ts. The caller passes the merchant of the authenticated
 * member; every query is filtered by it.
 */
export async function experimentResults(
  ch: ClickHouseHandle,
  options: ResultsOptions,
): Promise<ExperimentResults> {
  const parsed = resultsOptionsSchema.parse(options);
  // The definition's cap unless the caller overrides it (benchmarks and tests compare both).
  const revenueCapQuantile = parsed.revenueCapQuantile ?? parsed.experiment.revenueCapQuantile ?? undefined;
  const o = { ...parsed, revenueCapQuantile };
  const e = o.experiment;
  const nowMs = Math.max(o.now, e.startedAt + 1);
  const exposureEndMs = Math.min(e.stoppedAt ?? nowMs, nowMs);
  const cutoffs = lookCutoffs(e.startedAt, nowMs);
  const common = { merchantId: o.merchantId, experimentId: e.id, startMs: e.startedAt, exposureEndMs };
  const [rows, exposures, srmCounts] = await Promise.all([
    queryVariantStats(ch, {
      ...common,
      nowMs,
      windowMs: e.conversionWindowHours * 3_600_000,
      preMs: o.preExposureDays * DAY,
      cutoffs,
      ...(revenueCapQuantile !== undefined ? { revenueCapQuantile } : {}),
    }),
    queryExposureCounts(ch, common),
    querySrmCounts(ch, { ...common, arms: [...e.variants.map((v) => v.key), HOLDOUT_VARIANT_KEY] }),
  ]);
  return analyseExperiment({ options: o, cutoffs, rows, exposures, srmCounts });
}
