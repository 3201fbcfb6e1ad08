import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface LatencyPercentiles {
  /** '' for all turns, else the request type. */
  requestType: string;
  turns: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const rowSchema = z.object({
  requestType: z.string(),
  turns: z.coerce.number(),
  q: z.array(z.coerce.number()),
  max: z.coerce.number(),
});

/** How long the skill took to answer (ms), over all turns and per request type; exact quantiles. */
export async function querySkillLatency(
  ch: ClickHouseHandle,
  input: InsightParams,
): Promise<LatencyPercentiles[]> {
  const p = insightParamsSchema.parse(input);
  const sql = `
SELECT if(grouping(request_type) = 1, '', request_type) AS requestType, toUInt32(count()) AS turns,
  arrayMap(x -> toFloat64(x), quantilesExact(0.5, 0.9, 0.99)(latency_ms)) AS q, toFloat64(max(latency_ms)) AS max
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}
GROUP BY ROLLUP(request_type)
ORDER BY requestType`;
  const rows = await selectRows(ch, sql, p, rowSchema);
  return rows.map((r) => ({
    requestType: r.requestType,
    turns: r.turns,
    p50: r.q[0] ?? 0,
    p90: r.q[1] ?? 0,
    p99: r.q[2] ?? 0,
    max: r.max,
  }));
}
