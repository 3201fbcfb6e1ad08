import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';

const rowSchema = z.object({ variant: z.string(), exposures: z.coerce.number().int().min(0) });

/** Exposure events per variant (every time a pitch was spoken, not just first exposures). */
export async function queryExposureCounts(
  ch: ClickHouseHandle,
  p: { merchantId: string; experimentId: string; startMs: number; exposureEndMs: number },
): Promise<Map<string, number>> {
  const result = await ch.client.query({
    query: `
SELECT variant_key AS variant, count() AS exposures
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'pitch_exposure' AND experiment_id = {experimentId:UUID}
  AND ts >= fromUnixTimestamp64Milli({startMs:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({exposureEndMs:Int64}, 'UTC')
GROUP BY variant`,
    query_params: p,
    format: 'JSONEachRow',
  });
  const rows = z.array(rowSchema).parse(await result.json());
  return new Map(rows.map((r) => [r.variant, r.exposures]));
}
