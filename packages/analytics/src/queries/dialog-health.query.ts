import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { BUCKET_RANGE, type SourceOption, useRollup } from './overview-rollup';
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

/** The overview rollup's totals rows count the same turns; its fallback columns use this same intent (a test pins it). */
const ROLLUP_SQL = (db: string) => `
SELECT toUInt32(sum(r.turns)) AS turns, toUInt32(uniqExactMerge(r.turn_sessions)) AS sessions,
  toUInt32(sum(r.fallback_turns)) AS fallback, toUInt32(uniqExactMerge(r.fallback_sessions)) AS fallbackSessions,
  toUInt32(sum(r.unhandled_turns)) AS unhandled
FROM ${qualified(db, TABLES.overviewRollup)} AS r
WHERE kind = 'totals' AND ${BUCKET_RANGE}`;

export async function queryDialogHealth(
  ch: ClickHouseHandle,
  input: InsightParams,
  options?: SourceOption,
): Promise<DialogHealth> {
  const p = insightParamsSchema.parse(input);
  const sql = (await useRollup(ch, p, options))
    ? ROLLUP_SQL(ch.database)
    : `
SELECT toUInt32(count()) AS turns, toUInt32(uniqExact(cityHash64(session_id))) AS sessions,
  toUInt32(countIf(intent = {fallback:String})) AS fallback,
  toUInt32(uniqExactIf(cityHash64(session_id), intent = {fallback:String})) AS fallbackSessions,
  toUInt32(countIf(error != '')) AS unhandled
FROM ${qualified(ch.database, TABLES.events)}
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
