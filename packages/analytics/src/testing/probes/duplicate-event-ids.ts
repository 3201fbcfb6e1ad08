import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ id: z.string() });

/** Event ids stored more than once: every exactly-once test expects none. */
export async function duplicateEventIds(ch: ClickHouseHandle, scope?: EventScope): Promise<string[]> {
  const { where, params } = scopeFilter(scope);
  const rows = await selectRows(
    ch,
    `SELECT toString(event_id) AS id FROM ${qualified(ch.database, TABLES.events)} ${where}
     GROUP BY id HAVING count() > 1 ORDER BY id`,
    params,
    row,
  );
  return rows.map((r) => r.id);
}
