import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface ExitPoints {
  sessionsEnded: number;
  /** Why sessions ended (user_stop, exceeded_max_reprompts, completed …). */
  byReason: { reason: string; sessions: number; share: number }[];
  /** The last thing Alexa said before the session ended, most common first, with the reason. */
  lastPrompts: { lastPrompt: string; reason: string; sessions: number }[];
}

const reasonRow = z.object({ reason: z.string(), sessions: z.coerce.number() });
const promptRow = z.object({ lastPrompt: z.string(), reason: z.string(), sessions: z.coerce.number() });

export async function queryExitPoints(ch: ClickHouseHandle, input: InsightParams): Promise<ExitPoints> {
  const p = insightParamsSchema.parse(input);
  const events = qualified(ch.database, TABLES.events);
  const where = `merchant_id = {merchantId:UUID} AND type = 'session_end'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;
  const [reasons, prompts] = await Promise.all([
    selectRows(
      ch,
      `SELECT reason, toUInt32(count()) AS sessions FROM ${events} WHERE ${where}
GROUP BY reason ORDER BY sessions DESC, reason`,
      p,
      reasonRow,
    ),
    selectRows(
      ch,
      `SELECT last_prompt AS lastPrompt, reason, toUInt32(count()) AS sessions FROM ${events} WHERE ${where}
GROUP BY lastPrompt, reason ORDER BY sessions DESC, lastPrompt, reason LIMIT {limit:UInt32}`,
      p,
      promptRow,
    ),
  ]);
  const total = reasons.reduce((a, r) => a + r.sessions, 0);
  return {
    sessionsEnded: total,
    byReason: reasons.map((r) => ({ ...r, share: total === 0 ? 0 : r.sessions / total })),
    lastPrompts: prompts,
  };
}
