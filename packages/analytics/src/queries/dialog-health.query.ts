import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { BUCKET_RANGE, type SourceOption, useRollup } from './overview-rollup';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';
import { querySessionCount, sessionsOfRangeSql } from './sessions';

export interface DialogHealth {
  turns: number;
  /** Sessions of the range (metric `sessions`: counted on the local day they started, sessions.ts). */
  sessions: number;
  /** Turns Alexa routed to AMAZON.FallbackIntent: the shopper said something the model does not cover. */
  fallbackTurns: number;
  fallbackRate: number;
  /** Sessions of the range with at least one fallback, whenever in the session it happened. */
  sessionsWithFallback: number;
  /** Turns the skill could not handle: answered by its error handler (the turn records an error). */
  unhandledTurns: number;
  unhandledRate: number;
}

const rowSchema = z.object({
  turns: z.coerce.number(),
  fallback: z.coerce.number(),
  unhandled: z.coerce.number(),
});
const fallbackSessionsRow = z.object({ sessions: z.coerce.number() });

export const FALLBACK_INTENT = 'AMAZON.FallbackIntent';

/** The overview rollup's totals rows count the same turns; its fallback columns use this same intent (a test pins it). */
const ROLLUP_SQL = (db: string) => `
SELECT toUInt32(sum(r.turns)) AS turns, toUInt32(sum(r.fallback_turns)) AS fallback,
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
SELECT toUInt32(count()) AS turns, toUInt32(countIf(intent = {fallback:String})) AS fallback,
  toUInt32(countIf(error != '')) AS unhandled
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;
  // Turns count on the day they happened (event attribution); sessions on the day they started, by the
  // one shared definition, so this page's session count is the overview's. A session of the range's last
  // evening may have its fallback after midnight: its turns are read up to a day past the range.
  const fallbackSql = `
SELECT toUInt32(uniqExact(session_id)) AS sessions FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn' AND intent = {fallback:String}
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} + INTERVAL 1 DAY
  AND session_id IN (${sessionsOfRangeSql(ch.database)})`;
  const params = { ...p, fallback: FALLBACK_INTENT };
  const [[r], sessions, [fallbackSessions]] = await Promise.all([
    selectRows(ch, sql, params, rowSchema),
    querySessionCount(ch, p, options),
    selectRows(ch, fallbackSql, params, fallbackSessionsRow),
  ]);
  const turns = r?.turns ?? 0;
  return {
    turns,
    sessions,
    fallbackTurns: r?.fallback ?? 0,
    fallbackRate: turns === 0 ? 0 : (r?.fallback ?? 0) / turns,
    sessionsWithFallback: fallbackSessions?.sessions ?? 0,
    unhandledTurns: r?.unhandled ?? 0,
    unhandledRate: turns === 0 ? 0 : (r?.unhandled ?? 0) / turns,
  };
}
