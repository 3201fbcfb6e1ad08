export {
  DEMO_EXPERIMENT,
  type ExperimentConfig,
  parseSimulatorConfig,
  type SimulatorConfig,
  type SimulatorConfigInput,
  simulatorConfigSchema,
  truthFor,
  type VariantTruth,
} from './config';
export { type HistoryDeps, type HistoryResult, type RecordedSessions, replayHistory } from './history';
export { type LiveOptions, runLive } from './live';
export { historyWindow, makeShoppers, planVisits, type Shopper, type Visit } from './plan';
export { createRng, type Rng } from './rng';
export { sessionIdOf } from './session';
export { ensureExperiment, linkShoppers, merchantOfSkill } from './setup';
export type { RunStats, VariantStats } from './stats';
