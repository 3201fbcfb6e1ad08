import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

const rowSchema = z.object({ reason: z.string(), requests: z.coerce.number() });

/**
 * Requests refused before any dialog (signature, timestamp, wrong skill …), by reason. A row stands
 * for item_count requests (one per merchant, reason and minute); 0 is a row from before aggregation.
 */
export async function queryRejectedRequests(
  ch: ClickHouseHandle,
  input: InsightParams,
): Promise<{ reason: string; requests: number }[]> {
  const p = insightParamsSchema.parse(input);
  const sql = `
SELECT reason, toUInt32(sum(if(item_count = 0, 1, item_count))) AS requests
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'request_rejected'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}
GROUP BY reason ORDER BY requests DESC, reason
LIMIT {limit:UInt32}`;
  return selectRows(ch, sql, p, rowSchema);
}
