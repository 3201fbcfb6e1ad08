export { METRIC_LABELS, type Metric, type ResultsExperiment, type ResultsOptions } from './config';
export {
  type ExperimentResults,
  experimentResults,
  type MetricComparison,
  type MetricResult,
  type SeriesPoint,
  type VariantResult,
} from './results';
/** Synthetic shoppers with known true effects: tests, and demo data whose verdict is known in advance. */
export { type SimOptions, type SimVariant, simulateExperiment } from './testing/simulate';
export type { Decision, Verdict } from './verdict';
