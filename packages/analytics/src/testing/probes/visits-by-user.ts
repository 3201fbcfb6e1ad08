import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ userId: z.string(), sessions: z.coerce.number(), days: z.coerce.number() });

/** Per shopper, the sessions they started and on how many distinct local days (in `timeZone`), by user id. */
export async function visitsByUser(
  ch: ClickHouseHandle,
  timeZone: string,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ userId: string; sessions: number; days: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['session_start'] });
  return selectRows(
    ch,
    `SELECT user_id AS userId, count() AS sessions, uniqExact(toDate(ts, {timeZone:String})) AS days
     FROM ${qualified(ch.database, TABLES.events)} ${where} GROUP BY userId ORDER BY userId`,
    { ...params, timeZone },
    row,
  );
}
