export { type ExperimentDefinition, METRIC_LABELS, type Metric, type ResultsOptions } from './config';
export {
  type ExperimentResults,
  experimentResults,
  type MetricComparison,
  type MetricResult,
  type SeriesPoint,
  type VariantResult,
} from './results';
export type { Decision, Verdict } from './verdict';
