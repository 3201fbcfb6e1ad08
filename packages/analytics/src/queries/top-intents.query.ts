import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface IntentCount {
  intent: string;
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

/** The intents shoppers used most (IntentRequest turns), with how many sessions used each. */
export async function queryTopIntents(ch: ClickHouseHandle, input: InsightParams): Promise<IntentCount[]> {
  const p = insightParamsSchema.parse(input);
  const sql = `
SELECT intent, toUInt32(count()) AS turns, toUInt32(uniqExact(cityHash64(session_id))) AS sessions,
  toUInt32(sum(turns) OVER ()) AS total
FROM ${ch.database}.events
WHERE merchant_id = {merchantId:UUID} AND type = 'turn' AND request_type = 'IntentRequest' AND intent != ''
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}
GROUP BY intent
ORDER BY turns DESC, intent
LIMIT {limit:UInt32}`;
  const rows = await selectRows(ch, sql, p, rowSchema);
  return rows.map((r) => ({
    intent: r.intent,
    turns: r.turns,
    sessions: r.sessions,
    share: r.total === 0 ? 0 : r.turns / r.total,
  }));
}
