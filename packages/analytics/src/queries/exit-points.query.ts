import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { END_REASON_LABELS } from '../metrics/catalogue';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { selectRows, TS_FROM, TS_TO_EXCL } from './run';
import { SESSION_START_IN_RANGE } from './sessions';

/** The reason of a session of the range with no session_end: counted, not dropped. */
export const NO_END_RECORDED = 'no_end_recorded';

function endReasonLabel(reason: string): string {
  return END_REASON_LABELS[reason] ?? reason.replaceAll('_', ' ');
}

export interface ExitPoints {
  /** Sessions of the range (metric `sessions`), every one under some reason. */
  sessionsEnded: number;
  /**
   * Why sessions ended (user_stop, exceeded_max_reprompts, completed …); `no_end_recorded` for sessions
   * with no session_end (the shopper walked away and Alexa never told the skill, or it came a day later).
   */
  byReason: { reason: string; label: string; sessions: number; share: number }[];
  /** The last thing Alexa said before the session ended, most common first, with the reason. */
  lastPrompts: { lastPrompt: string; reason: string; label: string; sessions: number }[];
}

const reasonRow = z.object({ reason: z.string(), sessions: z.coerce.number() });
const promptRow = z.object({ lastPrompt: z.string(), reason: z.string(), sessions: z.coerce.number() });

/**
 * How the range's sessions ended. Sessions are the shared definition (sessions.ts: counted on the day
 * they started), so the reasons add up to the overview's session count; a session's end is looked for up
 * to a day after the range (a session of its last evening ends after midnight).
 */
export async function queryExitPoints(ch: ClickHouseHandle, input: InsightParams): Promise<ExitPoints> {
  const p = insightParamsSchema.parse(input);
  const events = qualified(ch.database, TABLES.events);
  const perSession = `
SELECT session_id,
  if(countIf(type = 'session_end') = 0, '${NO_END_RECORDED}', argMaxIf(reason, ts, type = 'session_end')) AS endReason,
  argMaxIf(last_prompt, ts, type = 'session_end') AS lastPrompt
FROM ${events}
WHERE merchant_id = {merchantId:UUID} AND type IN ('session_start', 'session_end')
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} + INTERVAL 1 DAY
GROUP BY session_id
HAVING countIf(${SESSION_START_IN_RANGE}) > 0`;
  const [reasons, prompts] = await Promise.all([
    selectRows(
      ch,
      `SELECT endReason AS reason, toUInt32(count()) AS sessions FROM (${perSession})
GROUP BY reason ORDER BY sessions DESC, reason`,
      p,
      reasonRow,
    ),
    selectRows(
      ch,
      `SELECT lastPrompt, endReason AS reason, toUInt32(count()) AS sessions FROM (${perSession})
WHERE endReason != '${NO_END_RECORDED}'
GROUP BY lastPrompt, reason ORDER BY sessions DESC, lastPrompt, reason LIMIT {limit:UInt32}`,
      p,
      promptRow,
    ),
  ]);
  const total = reasons.reduce((a, r) => a + r.sessions, 0);
  return {
    sessionsEnded: total,
    byReason: reasons.map((r) => ({
      ...r,
      label: endReasonLabel(r.reason),
      share: total === 0 ? 0 : r.sessions / total,
    })),
    lastPrompts: prompts.map((r) => ({ ...r, label: endReasonLabel(r.reason) })),
  };
}
