import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const totalRow = z.object({ n: z.coerce.number() });
const byTypeRow = z.object({ type: z.string(), n: z.coerce.number() });
const bySessionRow = z.object({ sessionId: z.string(), type: z.string(), n: z.coerce.number() });

/** How many events the scope holds. */
export async function countEvents(ch: ClickHouseHandle, scope?: EventScope): Promise<number> {
  const { where, params } = scopeFilter(scope);
  const [row] = await selectRows(
    ch,
    `SELECT count() AS n FROM ${qualified(ch.database, TABLES.events)} ${where}`,
    params,
    totalRow,
  );
  return row?.n ?? 0;
}

/** Events of the scope per type, by type name; types without events are absent. */
export async function countEventsByType(
  ch: ClickHouseHandle,
  scope?: EventScope,
): Promise<{ type: string; n: number }[]> {
  const { where, params } = scopeFilter(scope);
  return selectRows(
    ch,
    `SELECT type, count() AS n FROM ${qualified(ch.database, TABLES.events)} ${where} GROUP BY type ORDER BY type`,
    params,
    byTypeRow,
  );
}

/** Events of the scope per session and type (exactly-once checks per session), by session then type. */
export async function countEventsBySession(
  ch: ClickHouseHandle,
  scope?: EventScope,
): Promise<{ sessionId: string; type: string; n: number }[]> {
  const { where, params } = scopeFilter(scope);
  return selectRows(
    ch,
    `SELECT session_id AS sessionId, type, count() AS n FROM ${qualified(ch.database, TABLES.events)} ${where}
     GROUP BY sessionId, type ORDER BY sessionId, type`,
    params,
    bySessionRow,
  );
}
