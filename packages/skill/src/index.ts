export {
  createSkillApp,
  type SkillAppDeps,
  type SkillPaymentsConfig,
  type SkillVerificationConfig,
} from './app';
export { handledIntents } from './dialog/handlers';
export { createExperimentCache, type ExperimentSource } from './experiments/cache';
export type { RecordEvent } from './recording/deliver';
export type { SkillLogger } from './recording/logger';
export { createSkillMetrics, type SkillMetrics } from './recording/metrics';
