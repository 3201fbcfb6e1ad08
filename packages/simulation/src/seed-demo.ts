import { DEMO_SKILL_ID } from '@pitchline/db';
import { DEMO_EXPERIMENT, parseSimulatorConfig, type SimulatorConfigInput } from './config';
import { type HistoryDeps, type HistoryResult, type RecordedSessions, replayHistory } from './history';

/**
 * The demo's 30 days, sized to replay within the first start's minute on a small machine (~2,700
 * requests at ~8 ms of CPU each, most of it the skill's own PGlite queries). The experiment runs the last
 * 21 days, after 9 days of baseline (the shop had traffic before it started testing; those shoppers give
 * CUPED its pre-exposure history), so it is inside its planned 28 days. Its known truth (DEMO_EXPERIMENT:
 * b doubles the purchase rate from 30 % of pitched sessions, c halves it) gives ~120 users per variant and
 * a verdict of "ship b" (demo-verdict.int.test.ts replays this very config and checks it).
 */
export const DEMO_HISTORY_CONFIG: SimulatorConfigInput = {
  seed: 'pitchline-demo-history',
  days: 30,
  experimentDays: 21,
  shoppers: 500,
  basePurchase: 0.3,
  concurrency: 16,
  experiment: DEMO_EXPERIMENT,
};

/**
 * First start: replays 30 days of shoppers through the skill's real handlers, in process, into the
 * stores the server just opened (events through its write-ahead log, orders in its database). With
 * `recorded` (see analytics' queryRecordedSessions) it resumes a replay an earlier start did not finish: the sessions
 * already stored are skipped, the others played. Pass that start's `now` so the window is the same.
 */
export async function seedDemoHistory(
  deps: HistoryDeps,
  options: {
    config?: SimulatorConfigInput;
    now?: number;
    skillId?: string;
    signal?: AbortSignal;
    recorded?: RecordedSessions;
  } = {},
): Promise<HistoryResult> {
  const { config: input, skillId = DEMO_SKILL_ID, ...rest } = options;
  const config = parseSimulatorConfig({ ...DEMO_HISTORY_CONFIG, ...input });
  return replayHistory(deps, config, { ...rest, skillId });
}
