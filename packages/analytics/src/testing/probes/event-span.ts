import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

const row = z.object({ events: z.coerce.number(), firstMs: z.coerce.number(), lastMs: z.coerce.number() });

export interface EventSpan {
  events: number;
  /** Epoch milliseconds of the scope's first and last event; null when it has none. */
  firstMs: number | null;
  lastMs: number | null;
}

/** When the scope's events happened: the first and the last timestamp, and how many there are. */
export async function eventSpan(ch: ClickHouseHandle, scope?: EventScope): Promise<EventSpan> {
  const { where, params } = scopeFilter(scope);
  const [span] = await selectRows(
    ch,
    `SELECT count() AS events, min(toUnixTimestamp64Milli(ts)) AS firstMs, max(toUnixTimestamp64Milli(ts)) AS lastMs
     FROM ${qualified(ch.database, TABLES.events)} ${where}`,
    params,
    row,
  );
  // min/max of no rows is 0 in ClickHouse, which would read as 1970: say "none" instead.
  if (!span || span.events === 0) return { events: 0, firstMs: null, lastMs: null };
  return span;
}
