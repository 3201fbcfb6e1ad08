import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ requestId: z.string(), n: z.coerce.number() });

/**
 * How many turns each request id has: one per answered request when every turn is stored exactly once
 * (a request replayed or a segment shipped twice shows as 2).
 */
export async function turnsPerRequest(
  ch: ClickHouseHandle,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ requestId: string; n: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['turn'] });
  return selectRows(
    ch,
    `SELECT request_id AS requestId, count() AS n FROM ${qualified(ch.database, TABLES.events)} ${where}
     GROUP BY requestId ORDER BY requestId`,
    params,
    row,
  );
}
