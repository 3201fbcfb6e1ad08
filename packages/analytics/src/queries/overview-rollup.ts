import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { BUCKET_SECONDS } from '../tables';
import { daysBetween } from './calendar-date';
import { selectRows, TS_FROM, TS_TO_EXCL } from './run';

/**
 * Shared by the overview's queries that can read overview_rollup (migration 0005) instead of the events.
 *
 * The rollup's rows are 30-minute UTC buckets. A range of local days is an exact union of them when the
 * range starts and ends on a bucket boundary and no bucket inside it spans two local dates (so every local
 * midnight falls on a boundary, which a per-day breakdown needs). Then all of a bucket's events share one
 * local date, and selecting the buckets by the raw query's own conditions selects exactly the events the
 * raw query would. Zones with DST qualify (the offset changes by a multiple of 30 minutes, on a
 * boundary); Asia/Kathmandu (+05:45) or Pacific/Chatham (+12:45) do not, and read the raw events.
 */

/** Which table a query reads: 'auto' takes the rollup whenever it gives the exact answer. */
export const sourceSchema = z.enum(['auto', 'events']).default('auto');
export interface SourceOption {
  /** 'events' forces the raw events (tests and benches compare the two). */
  source?: z.input<typeof sourceSchema>;
}

/** The rollup's rows for the caller's merchant and range, selected by the same conditions as the raw events. */
export const BUCKET_RANGE = `merchant_id = {merchantId:UUID}
  AND bucket >= ${TS_FROM} AND bucket < ${TS_TO_EXCL} AND toDate(bucket, {tz:String}) BETWEEN {from:Date} AND {to:Date}`;

/**
 * Ranges the rollup may answer: `bucket` is a DateTime (to 2106) and the rollup leaves out later events
 * (ROLLUP_TS_LIMIT in tables.ts); before 1970 the Date parameters themselves are out of range, and the
 * raw query keeps whatever ClickHouse makes of that.
 */
const FIRST_DAY = '1970-01-02';
const LAST_DAY = '2105-12-30';

/**
 * Every bucket from the range's start to its end: both ends on a boundary, and no bucket whose first and
 * last second fall on different local dates. Computed by ClickHouse, so it uses the same time zone data as
 * the queries. ≤ 53,000 buckets (three years), a millisecond or two of work.
 */
const TILES_SQL = `
SELECT
  toUnixTimestamp(${TS_FROM}) % ${BUCKET_SECONDS} = 0
  AND toUnixTimestamp(${TS_TO_EXCL}) % ${BUCKET_SECONDS} = 0
  AND (
    SELECT count() FROM (
      SELECT toDateTime(toUnixTimestamp(${TS_FROM}) + number * ${BUCKET_SECONDS}, 'UTC') AS b
      FROM numbers({buckets:UInt32})
    )
    WHERE b < ${TS_TO_EXCL} AND toDate(b, {tz:String}) != toDate(b + ${BUCKET_SECONDS - 1}, {tz:String})
  ) = 0 AS tiles`;

const tilesRow = z.object({ tiles: z.coerce.number() });

/** Answers per (zone, range): they depend on nothing else, and the overview asks four times per page. */
const tilesCache = new Map<string, Promise<boolean>>();
const TILES_CACHE_MAX = 2000;

export interface LocalRange {
  from: string;
  to: string;
  tz: string;
}

/** Whether the rollup's buckets tile this range of local days exactly (see above). */
export function bucketsTileRange(ch: ClickHouseHandle, p: LocalRange): Promise<boolean> {
  if (p.from < FIRST_DAY || p.to > LAST_DAY) return Promise.resolve(false);
  if (p.tz === 'UTC') return Promise.resolve(true);
  const key = `${p.tz}\n${p.from}\n${p.to}`;
  const cached = tilesCache.get(key);
  if (cached) return cached;
  // A local day lasts at most 25 hours; three days of margin cover any DST shift at either end.
  const buckets = (daysBetween(p.from, p.to) + 3) * (86_400 / BUCKET_SECONDS);
  const answer = selectRows(ch, TILES_SQL, { ...p, buckets }, tilesRow).then(([r]) => r?.tiles === 1);
  if (tilesCache.size >= TILES_CACHE_MAX) tilesCache.clear();
  tilesCache.set(key, answer);
  // A failed check (ClickHouse down) is not an answer: the next call asks again.
  answer.catch(() => tilesCache.delete(key));
  return answer;
}

/** Whether a query for this range reads the rollup. */
export async function useRollup(
  ch: ClickHouseHandle,
  p: LocalRange,
  options: SourceOption | undefined,
): Promise<boolean> {
  if (sourceSchema.parse(options?.source) === 'events') return false;
  return bucketsTileRange(ch, p);
}
