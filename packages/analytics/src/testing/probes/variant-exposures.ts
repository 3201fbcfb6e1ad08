import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ variantKey: z.string(), sessions: z.coerce.number(), users: z.coerce.number() });

/** Per variant heard (pitch_exposure), the distinct sessions and shoppers that heard it, by variant key. */
export async function exposuresByVariant(
  ch: ClickHouseHandle,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ variantKey: string; sessions: number; users: number }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['pitch_exposure'] });
  return selectRows(
    ch,
    `SELECT variant_key AS variantKey, uniqExact(session_id) AS sessions, uniqExact(user_id) AS users
     FROM ${qualified(ch.database, TABLES.events)} ${where} GROUP BY variantKey ORDER BY variantKey`,
    params,
    row,
  );
}
