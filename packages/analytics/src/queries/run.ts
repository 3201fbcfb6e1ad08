import type { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';

/**
 * Runs one parameterised SELECT and parses its rows. Counts are cast in SQL or coerced by the row
 * schema, because JSONEachRow renders 64-bit integers as numbers in chDB and as strings on a server.
 */
export async function selectRows<S extends z.ZodType>(
  ch: ClickHouseHandle,
  query: string,
  params: Record<string, unknown>,
  row: S,
): Promise<z.infer<S>[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  const rows = (await result.json()) as unknown[];
  return rows.map((r) => row.parse(r));
}

/** `ts` bounds of a local-day range, widened as asked; the key's toDate(ts) prunes granules from these. */
export const LOCAL_RANGE = `toDate(ts, {tz:String}) BETWEEN {from:Date} AND {to:Date}`;
export const TS_FROM = `toDateTime({from:Date}, {tz:String})`;
export const TS_TO_EXCL = `toDateTime({to:Date} + 1, {tz:String})`;

/** Nothing beyond this many rows leaves ClickHouse for one list. */
export const NONE_LABEL = '(none)';
