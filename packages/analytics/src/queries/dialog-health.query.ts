import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface DialogHealth {
  turns: number;
  sessions: number;
  /** Turns Alexa routed to AMAZON.FallbackIntent: the shopper said something the model does not cover. */
  fallbackTurns: number;
  fallbackRate: number;
  /** Sessions with at least one fallback. */
  sessionsWithFallback: number;
  /** Turns the skill could not handle: answered by its error handler (the turn records an error). */
  unhandledTurns: number;
  unhandledRate: number;
}

const rowSchema = z.object({
  turns: z.coerce.number(),
  sessions: z.coerce.number(),
  fallback: z.coerce.number(),
  fallbackSessions: z.coerce.number(),
  unhandled: z.coerce.number(),
});

export const FALLBACK_INTENT = 'AMAZON.FallbackIntent';

export async function queryDialogHealth(ch: ClickHouseHandle, input: InsightParams): Promise<DialogHealth> {
  const p = insightParamsSchema.parse(input);
  const sql = `
SELECT toUInt32(count()) AS turns, toUInt32(uniqExact(cityHash64(session_id))) AS sessions,
  toUInt32(countIf(intent = {fallback:String})) AS fallback,
  toUInt32(uniqExactIf(cityHash64(session_id), intent = {fallback:String})) AS fallbackSessions,
  toUInt32(countIf(error != '')) AS unhandled
FROM ${ch.database}.events
WHERE merchant_id = {merchantId:UUID} AND type = 'turn'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;
  const [r] = await selectRows(ch, sql, { ...p, fallback: FALLBACK_INTENT }, rowSchema);
  const turns = r?.turns ?? 0;
  return {
    turns,
    sessions: r?.sessions ?? 0,
    fallbackTurns: r?.fallback ?? 0,
    fallbackRate: turns === 0 ? 0 : (r?.fallback ?? 0) / turns,
    sessionsWithFallback: r?.fallbackSessions ?? 0,
    unhandledTurns: r?.unhandled ?? 0,
    unhandledRate: turns === 0 ? 0 : (r?.unhandled ?? 0) / turns,
  };
}
