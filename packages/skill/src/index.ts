export {
  createSkillApp,
  type SkillAppDeps,
  type SkillPaymentsConfig,
  type SkillVerificationConfig,
} from './app';
export { handledIntents } from './dialog/handlers';
export { createExperimentCache, type ExperimentSource } from './experiments/cache';
export { createSkillMetrics, type SkillMetrics } from './recording/metrics';
