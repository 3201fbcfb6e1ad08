export {
  type ExperimentDefinition,
  GUARDRAIL_METRICS,
  type GuardrailMetric,
  METRIC_LABELS,
  METRICS,
  type Metric,
  type ResultsOptions,
  SUCCESS_METRICS,
  type SuccessMetric,
} from './config';
export {
  type ExperimentResults,
  experimentResults,
  type MetricComparison,
  type MetricResult,
  type SeriesPoint,
  type VariantResult,
} from './results';
export type { Decision, Verdict } from './verdict';
