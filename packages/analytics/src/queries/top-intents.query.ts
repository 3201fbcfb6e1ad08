import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { intentLabel } from '../metrics/catalogue';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { BUCKET_RANGE, type SourceOption, useRollup } from './overview-rollup';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface IntentCount {
  intent: string;
  /** The intent in words ("Add to cart"). */
  label: string;
  turns: number;
  sessions: number;
  /** Share of all intent requests in the range. */
  share: number;
}

const rowSchema = z.object({
  intent: z.string(),
  turns: z.coerce.number(),
  sessions: z.coerce.number(),
  total: z.coerce.number(),
});

/** The overview rollup's 'intent' rows hold exactly these turns (IntentRequest, intent set), per intent and bucket. */
const ROLLUP_SQL = (db: string) => `
SELECT dim AS intent, toUInt32(sum(r.turns)) AS turns, toUInt32(uniqExactMerge(r.turn_sessions)) AS sessions,
  toUInt32(sum(turns) OVER ()) AS total
FROM ${qualified(db, TABLES.overviewRollup)} AS r
WHERE kind = 'intent' AND ${BUCKET_RANGE}
GROUP BY intent
ORDER BY turns DESC, intent
LIMIT {limit:UInt32}`;

/** The intents shoppers used most (IntentRequest turns), with how many sessions used each. */
export async function queryTopIntents(
  ch: ClickHouseHandle,
  input: InsightParams,
  options?: SourceOption,
): Promise<IntentCount[]> {
  const p = insightParamsSchema.parse(input);
  const sql = (await useRollup(ch, p, options))
    ? ROLLUP_SQL(ch.database)
    : `
SELECT intent, toUInt32(count()) AS turns, toUInt32(uniqExact(cityHash64(session_id))) AS sessions,
  toUInt32(sum(turns) OVER ()) AS total
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn' AND request_type = 'IntentRequest' AND intent != ''
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}
GROUP BY intent
ORDER BY turns DESC, intent
LIMIT {limit:UInt32}`;
  const rows = await selectRows(ch, sql, p, rowSchema);
  return rows.map((r) => ({
    intent: r.intent,
    label: intentLabel(r.intent),
    turns: r.turns,
    sessions: r.sessions,
    share: r.total === 0 ? 0 : r.turns / r.total,
  }));
}
