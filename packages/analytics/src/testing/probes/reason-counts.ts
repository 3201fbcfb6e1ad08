import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ reason: z.string(), n: z.coerce.number() });

/**
 * Why sessions ended, or why requests were refused before any dialog: how many per reason. A
 * request_rejected row stands for item_count requests (one row per merchant, reason and minute).
 */
export async function reasonCounts(
  ch: ClickHouseHandle,
  type: 'session_end' | 'request_rejected',
  scope?: Omit<EventScope, 'types'>,
): Promise<{ reason: string; n: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: [type] });
  return selectRows(
    ch,
    `SELECT reason, sum(if(item_count = 0, 1, item_count)) AS n FROM ${qualified(ch.database, TABLES.events)} ${where} GROUP BY reason ORDER BY reason`,
    params,
    row,
  );
}
