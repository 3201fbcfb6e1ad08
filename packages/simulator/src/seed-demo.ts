import { DEMO_SKILL_ID } from '@pitchline/db';
import { DEMO_EXPERIMENT, parseSimulatorConfig, type SimulatorConfigInput } from './config';
import { type HistoryDeps, type HistoryResult, replayHistory } from './history';

/**
 * The demo's 30 days, sized to replay within the first start's minute on a small machine (~2,700
 * requests at ~10 ms of CPU each, most of it the skill's own PGlite queries). That is enough for the
 * demo experiment's verdict: with ~170 shoppers per variant it is "inconclusive" (past its planned 28
 * days, no significant winner), b ahead of control; shipping b takes about ten times the shoppers.
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
