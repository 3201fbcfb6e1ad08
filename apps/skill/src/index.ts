export {
  createSkillApp,
  type SkillAppDeps,
  type SkillPaymentsConfig,
  type SkillVerificationConfig,
} from './app';
export { handledIntents } from './dialog/handlers';
export type { RecordEvent } from './recording/deliver';
export type { SkillLogger } from './recording/logger';
export { createSkillMetrics, type SkillMetrics } from './recording/metrics';
