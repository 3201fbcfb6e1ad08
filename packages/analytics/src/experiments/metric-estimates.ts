import type { Metric, ParsedExperiment } from './config';
import { cupedFit, type Estimate, type EstimateContext, estimateMetric } from './estimates';
import type { MetricRole } from './result-types';
import type { VariantLookStats } from './variant-stats.query';

/**
 * CUPED is fitted on every user (zero pre-period spend included), but with fewer than this many users who
 * spent anything before the covariate is nearly constant and θ mostly noise: it is skipped.
 */
const CUPED_MIN_HISTORY = 100;

export interface MetricSpec {
  metric: Metric;
  role: MetricRole;
}

/** The metrics analysed, primary first (index 0), each once in its first role: secondary, then guardrail. */
export function metricSpecs(experiment: ParsedExperiment): MetricSpec[] {
  const specs: MetricSpec[] = [{ metric: experiment.primaryMetric, role: 'primary' }];
  const seen = new Set<Metric>([experiment.primaryMetric]);
  const add = (metric: Metric, role: MetricRole) => {
    if (seen.has(metric)) return;
    seen.add(metric);
    specs.push({ metric, role });
  };
  for (const m of experiment.secondaryMetrics) add(m, 'secondary');
  for (const m of experiment.guardrailMetrics) add(m, 'guardrail');
  return specs;
}

export interface LookEstimates {
  /** The CUPED fit of this look, when CUPED applies. */
  theta: { theta: number; xMean: number } | undefined;
  /** Users with pre-exposure history, all arms together. */
  historyUsers: number;
  /** [arm][metric spec] */
  estimates: Estimate[][];
}

/**
 * Every arm's estimate of every metric at every look: the sequential p-values need the whole path. CUPED
 * adjusts plain means only (never IPW ones), and only once enough users have history.
 */
export function estimateLooks(
  stats: readonly VariantLookStats[][],
  specs: readonly MetricSpec[],
  ipw: boolean,
): LookEstimates[] {
  return stats.map((lookStats) => {
    const historyUsers = lookStats.reduce((s, v) => s + v.pre.nHistory, 0);
    const theta = !ipw && historyUsers >= CUPED_MIN_HISTORY ? cupedFit(lookStats) : undefined;
    const ctx: EstimateContext = { ipw, ...(theta ? { cuped: theta } : {}) };
    return {
      theta,
      historyUsers,
      estimates: lookStats.map((v) => specs.map((s) => estimateMetric(v, s.metric, ctx))),
    };
  });
}

/** One metric's estimates look after look: [look][arm]. */
export function metricPath(looks: readonly LookEstimates[], specIndex: number): Estimate[][] {
  return looks.map((l) => l.estimates.map((arm) => arm[specIndex] as Estimate));
}
