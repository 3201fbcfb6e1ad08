import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { FALLBACK_INTENT } from './dialog-health.query';
import { selectRows } from './run';

/*
 * The catalogue metrics an alert rule watches, over a window of wall-clock time (the last hour, the last
 * day) rather than local days: alerts ask "right now", not "on which day". Each figure keeps its
 * catalogue definition, only the range differs:
 * - fallback_rate: turns routed to AMAZON.FallbackIntent ÷ turns, turns counted when they happened;
 * - latency_p90: the exact 90th percentile of the turns' latency_ms;
 * - paid_conversion: sessions whose session_start lies in the window and that have a payment_succeeded
 *   (up to the window's end) ÷ those sessions.
 * A figure with nothing to divide (no turns, no sessions) is null: "no data", which never fires a rule.
 */

export const alertWindowParamsSchema = z
  .object({
    merchantId: z.uuid(),
    /** Epoch milliseconds, from inclusive, to exclusive. */
    fromMs: z.number().int().nonnegative(),
    toMs: z.number().int().positive(),
  })
  .refine((p) => p.fromMs < p.toMs, 'a window ends after it starts');
export type AlertWindowParams = z.input<typeof alertWindowParamsSchema>;

export interface AlertWindowFigures {
  turns: number;
  fallbackTurns: number;
  fallbackRate: number | null;
  latencyP90: number | null;
  sessions: number;
  paidSessions: number;
  paidConversion: number | null;
}

const WINDOW = `ts >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')`;

const turnsRow = z.object({
  turns: z.coerce.number(),
  fallback: z.coerce.number(),
  p90: z.coerce.number(),
});
const sessionsRow = z.object({ sessions: z.coerce.number(), paid: z.coerce.number() });

export async function queryAlertWindow(
  ch: ClickHouseHandle,
  input: AlertWindowParams,
): Promise<AlertWindowFigures> {
  const p = alertWindowParamsSchema.parse(input);
  const events = qualified(ch.database, TABLES.events);
  const turnsSql = `
SELECT toUInt32(count()) AS turns, toUInt32(countIf(intent = {fallback:String})) AS fallback,
  toFloat64(if(count() = 0, 0, quantileExact(0.9)(latency_ms))) AS p90
FROM ${events}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn' AND ${WINDOW}`;
  const sessionsSql = `
SELECT toUInt32(count()) AS sessions, toUInt32(countIf(paid)) AS paid FROM (
  SELECT session_id, countIf(type = 'payment_succeeded') > 0 AS paid
  FROM ${events}
  WHERE merchant_id = {merchantId:UUID} AND type IN ('session_start', 'payment_succeeded')
    AND ts >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')
    AND ts < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')
  GROUP BY session_id
  HAVING countIf(type = 'session_start') > 0
)`;
  const params = { ...p, fallback: FALLBACK_INTENT };
  const [[t], [s]] = await Promise.all([
    selectRows(ch, turnsSql, params, turnsRow),
    selectRows(ch, sessionsSql, params, sessionsRow),
  ]);
  const turns = t?.turns ?? 0;
  const sessions = s?.sessions ?? 0;
  return {
    turns,
    fallbackTurns: t?.fallback ?? 0,
    fallbackRate: turns === 0 ? null : (t?.fallback ?? 0) / turns,
    latencyP90: turns === 0 ? null : (t?.p90 ?? 0),
    sessions,
    paidSessions: s?.paid ?? 0,
    paidConversion: sessions === 0 ? null : (s?.paid ?? 0) / sessions,
  };
}
