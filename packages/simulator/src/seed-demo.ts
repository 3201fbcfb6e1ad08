import { DEMO_SKILL_ID } from '@pitchline/db';
import { DEMO_EXPERIMENT, parseSimulatorConfig, type SimulatorConfigInput } from './config';
import { type HistoryDeps, type HistoryResult, replayHistory } from './history';

/**
 * The demo's 30 days, sized to replay within the first start's minute budget on a small machine and
 * still give the demo experiment enough shoppers for a verdict (B, the true winner, ships).
 */
export const DEMO_HISTORY_CONFIG: SimulatorConfigInput = {
  seed: 'pitchline-demo-history',
  days: 30,
  shoppers: 500,
  concurrency: 16,
  experiment: DEMO_EXPERIMENT,
};

/**
 * First start only: replays 30 days of shoppers through the skill's real handlers, in process, into
 * the stores the server just opened (events through its write-ahead log, orders in its database).
 */
export async function seedDemoHistory(
  deps: HistoryDeps,
  options: { config?: SimulatorConfigInput; now?: number; skillId?: string; signal?: AbortSignal } = {},
): Promise<HistoryResult> {
  const config = parseSimulatorConfig({ ...DEMO_HISTORY_CONFIG, ...options.config });
  return replayHistory(deps, config, {
    skillId: options.skillId ?? DEMO_SKILL_ID,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
