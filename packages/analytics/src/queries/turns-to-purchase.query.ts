import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { checkRange, dateRangeShape } from './params';
import { selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface TurnsToPurchase {
  /** Sessions whose first order was confirmed on a local day in the range. */
  sessions: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
  /** How many sessions needed exactly `turns` turns. */
  histogram: { turns: number; sessions: number }[];
}

const paramsSchema = z.object(dateRangeShape).superRefine(checkRange);
const rowSchema = z.object({ turns: z.coerce.number(), sessions: z.coerce.number() });

/**
 * Turns a shopper needed to buy: the session's turns before its first order_confirmed, plus the turn that
 * confirmed it (the skill records the order while handling that request, before the turn event itself).
 */
export async function queryTurnsToPurchase(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
): Promise<TurnsToPurchase> {
  const p = paramsSchema.parse(input);
  const sql = `
SELECT turns, toUInt32(count()) AS sessions FROM (
  SELECT minIf(ts, type = 'order_confirmed') AS ordered,
    toUInt32(arrayCount(x -> x < ordered, groupArrayIf(ts, type = 'turn')) + 1) AS turns
  FROM ${qualified(ch.database, TABLES.events)}
  WHERE merchant_id = {merchantId:UUID} AND type IN ('turn', 'order_confirmed')
    AND ts >= ${TS_FROM} - INTERVAL 1 DAY AND ts < ${TS_TO_EXCL}
  GROUP BY session_id
  HAVING countIf(type = 'order_confirmed') > 0 AND toDate(ordered, {tz:String}) BETWEEN {from:Date} AND {to:Date}
)
GROUP BY turns ORDER BY turns`;
  const histogram = await selectRows(ch, sql, p, rowSchema);
  const sessions = histogram.reduce((a, h) => a + h.sessions, 0);
  if (sessions === 0) return { sessions, median: null, p90: null, mean: null, histogram };
  // Exact quantiles from the histogram: the value at position ⌊level·n⌋ of the sorted turn counts.
  const at = (level: number) => {
    const target = Math.min(sessions - 1, Math.floor(level * sessions));
    let seen = 0;
    for (const h of histogram) {
      seen += h.sessions;
      if (seen > target) return h.turns;
    }
    return histogram[histogram.length - 1]?.turns ?? null;
  };
  return {
    sessions,
    median: at(0.5),
    p90: at(0.9),
    mean: histogram.reduce((a, h) => a + h.turns * h.sessions, 0) / sessions,
    histogram,
  };
}
