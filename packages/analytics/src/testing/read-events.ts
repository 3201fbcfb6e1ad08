import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';

/**
 * Every stored event of one merchant, as ClickHouse returns them to a plain `SELECT *` (JSONEachRow):
 * what brute-force recounts start from, with no query logic of the code under test in between.
 */
export async function readAllEvents(
  ch: ClickHouseHandle,
  merchantId: string,
): Promise<Record<string, unknown>[]> {
  const result = await ch.client.query({
    query: `SELECT * FROM ${qualified(ch.database, TABLES.events)} WHERE merchant_id = {m:UUID}`,
    query_params: { m: merchantId },
    format: 'JSONEachRow',
  });
  return (await result.json()) as Record<string, unknown>[];
}
