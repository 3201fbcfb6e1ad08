export { createExperiment } from './create';
export { ExperimentError, type ExperimentErrorCode } from './errors';
export { experimentHistory, type HistoryEntry } from './history';
export { getExperiment, listExperiments } from './read';
export {
  type PitchSlotQuery,
  type RunningExperiment,
  type RunningVariant,
  runningExperiments,
  runningExperimentsFor,
} from './running';
export { concludeExperiment, startExperiment, stopExperiment } from './transitions';
export { setVariantWeights, updateExperiment } from './update';
export type { ExperimentView, VariantView } from './view';
