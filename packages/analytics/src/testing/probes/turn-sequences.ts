import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';
import { TURN_INTENT } from './turn-intents';

const row = z.object({ sessionId: z.string(), intents: z.array(z.string()) });

/**
 * Each session's turns as the sequence of their intents (request type for requests without one), in time
 * order (ties by name), one row per session that has turns, by session id.
 */
export async function turnSequences(
  ch: ClickHouseHandle,
  scope?: Omit<EventScope, 'types'>,
): Promise<{ sessionId: string; intents: string[] }[]> {
  const { where, params } = scopeFilter({ ...scope, types: ['turn'] });
  return selectRows(
    ch,
    `SELECT session_id AS sessionId, arrayMap(t -> t.2, arraySort(groupArray((ts, ${TURN_INTENT})))) AS intents
     FROM ${qualified(ch.database, TABLES.events)} ${where} GROUP BY sessionId ORDER BY sessionId`,
    params,
    row,
  );
}
