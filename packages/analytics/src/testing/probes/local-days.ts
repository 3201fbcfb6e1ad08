import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ day: z.string() });

/** The distinct local calendar days (YYYY-MM-DD, ascending) in `timeZone` on which the scope has events. */
export async function localDays(
  ch: ClickHouseHandle,
  timeZone: string,
  scope?: EventScope,
): Promise<string[]> {
  const { where, params } = scopeFilter(scope);
  const rows = await selectRows(
    ch,
    `SELECT DISTINCT toString(toDate(ts, {timeZone:String})) AS day FROM ${qualified(ch.database, TABLES.events)} ${where}
     ORDER BY day`,
    { ...params, timeZone },
    row,
  );
  return rows.map((r) => r.day);
}
