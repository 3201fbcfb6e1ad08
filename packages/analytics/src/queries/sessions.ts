import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { BUCKET_RANGE, type LocalRange, type SourceOption, useRollup } from './overview-rollup';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

/*
 * The one definition of "sessions" for a range of local days (catalogue metric `sessions`): a session
 * exists when its session_start was recorded (the skill writes one with the session's first request),
 * and it counts once, on the merchant-local day of that session_start. Every page that shows a session
 * count (overview, revenue, funnel first step, voice insights, exit points, the session search's count)
 * selects its sessions with these conditions, so the pages cannot disagree:
 * - a session that runs past local midnight, or whose payment, refund or session_end arrives on a later
 *   day, stays in the day it started (turn-day or end-day counting gave different totals);
 * - a "session" made only of late events (a payment or a session_end whose session_start lies outside
 *   the range, or was never recorded) is not a session of the range;
 * - the overview rollup's session_starts column counts exactly these events, bucket by bucket.
 */

/** The raw events' condition for "the session_start of a session of the range". */
export const SESSION_START_IN_RANGE = `type = 'session_start'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;

/**
 * The ids of the merchant's sessions of the range, as a subquery for `session_id IN (…)`. Events of
 * those sessions may lie after the range (a session of its last evening): callers bound their own scan.
 */
export function sessionsOfRangeSql(db: string): string {
  return `SELECT session_id FROM ${qualified(db, TABLES.events)}
    WHERE merchant_id = {merchantId:UUID} AND ${SESSION_START_IN_RANGE}`;
}

const countRow = z.object({ sessions: z.coerce.number() });

/** How many sessions the range holds (metric `sessions`), from the rollup when it tiles the range. */
export async function querySessionCount(
  ch: ClickHouseHandle,
  p: LocalRange & { merchantId: string },
  options?: SourceOption,
): Promise<number> {
  const sql = (await useRollup(ch, p, options))
    ? `SELECT toUInt32(sum(session_starts)) AS sessions FROM ${qualified(ch.database, TABLES.overviewRollup)}
WHERE kind = 'totals' AND ${BUCKET_RANGE}`
    : `SELECT toUInt32(count()) AS sessions FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND ${SESSION_START_IN_RANGE}`;
  const [row] = await selectRows(ch, sql, { ...p }, countRow);
  return row?.sessions ?? 0;
}

const daysRow = z.object({ days: z.coerce.number() });

/**
 * On how many local days of the range at least one session started: whether a previous period holds
 * enough data for a comparison to mean anything (a page compares only when it covers most of its days).
 */
export async function querySessionDays(
  ch: ClickHouseHandle,
  p: LocalRange & { merchantId: string },
): Promise<number> {
  const [row] = await selectRows(
    ch,
    `SELECT toUInt32(uniqExact(toDate(ts, {tz:String}))) AS days FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND ${SESSION_START_IN_RANGE}`,
    { ...p },
    daysRow,
  );
  return row?.days ?? 0;
}
