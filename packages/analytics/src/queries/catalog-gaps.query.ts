import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type InsightParams, insightParamsSchema } from './insights-params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface CatalogGap {
  /** What the shopper said, trimmed and lower-cased, so "Oat milk" and "oat milk " count together. */
  value: string;
  requests: number;
  sessions: number;
}

const rowSchema = z.object({ value: z.string(), requests: z.coerce.number(), sessions: z.coerce.number() });

/** Slot values entity resolution matched to nothing in the catalog: what shoppers asked for and did not find. */
export async function queryCatalogGaps(ch: ClickHouseHandle, input: InsightParams): Promise<CatalogGap[]> {
  const p = insightParamsSchema.parse(input);
  const sql = `
SELECT lowerUTF8(trimBoth(slot_value)) AS value, toUInt32(count()) AS requests, toUInt32(uniqExact(session_id)) AS sessions
FROM ${qualified(ch.database, TABLES.events)}
ARRAY JOIN slots.value AS slot_value, slots.resolution AS slot_resolution
WHERE merchant_id = {merchantId:UUID} AND type = 'turn' AND slot_resolution = 'no_match'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}
GROUP BY value
HAVING value != ''
ORDER BY requests DESC, value
LIMIT {limit:UInt32}`;
  return selectRows(ch, sql, p, rowSchema);
}
