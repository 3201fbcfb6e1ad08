import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ locale: z.string(), hasScreen: z.boolean(), sessions: z.coerce.number() });

/** Sessions started per locale and screen/no screen, by locale then screen. */
export async function sessionStartsByDevice(
  ch: ClickHouseHandle,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ locale: string; hasScreen: boolean; sessions: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['session_start'] });
  return selectRows(
    ch,
    `SELECT locale, has_screen AS hasScreen, count() AS sessions FROM ${qualified(ch.database, TABLES.events)} ${where}
     GROUP BY locale, hasScreen ORDER BY locale, hasScreen`,
    params,
    row,
  );
}
