import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

/** A turn's intent, or its request type when it has none (LaunchRequest, SessionEndedRequest …). */
export const TURN_INTENT = `if(intent != '', intent, request_type)`;

// Aliased apart from the intent column: an alias named like a column it reads would be cyclic.
const row = z.object({ what: z.string(), n: z.coerce.number() });

/** Turns per intent (request type for requests without one), by intent name. */
export async function turnsByIntent(
  ch: ClickHouseHandle,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ intent: string; n: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['turn'] });
  const rows = await selectRows(
    ch,
    `SELECT ${TURN_INTENT} AS what, count() AS n FROM ${qualified(ch.database, TABLES.events)} ${where}
     GROUP BY what ORDER BY what`,
    params,
    row,
  );
  return rows.map((r) => ({ intent: r.what, n: r.n }));
}
