import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { checkRange, dateRangeShape } from './params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';

/**
 * Revenue as the events record it: gross is what payment_succeeded captured (one event per order, made
 * by the skill when the money is confirmed), refunds are the refund events (each the amount newly given
 * back), net is their difference. Each counts on the merchant's local day it happened. Amounts are
 * integer minor units per currency, never converted, so they reconcile to the cent with the orders table.
 */

export const revenueParamsSchema = z.object(dateRangeShape).superRefine(checkRange);
export type RevenueParams = z.input<typeof revenueParamsSchema>;

export interface RevenueTotals {
  currency: string;
  gross: number;
  refunds: number;
  net: number;
  /** Paid orders. */
  orders: number;
  /** Gross per paid order, in minor units (fractional). */
  averageOrderValue: number;
  /** Net per session started in the range. */
  revenuePerSession: number;
  /** Net per distinct user who heard a pitch in the range. */
  revenuePerExposedUser: number;
}

export interface RevenueSummary {
  sessions: number;
  exposedUsers: number;
  byCurrency: RevenueTotals[];
}

const moneyRow = z.object({
  currency: z.string(),
  gross: z.coerce.number(),
  refunds: z.coerce.number(),
  orders: z.coerce.number(),
});
const audienceRow = z.object({ sessions: z.coerce.number(), exposed: z.coerce.number() });

export const MONEY_WHERE = `merchant_id = {merchantId:UUID} AND type IN ('payment_succeeded', 'refund')
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;
export const MONEY_COLUMNS = `toInt64(sumIf(amount, type = 'payment_succeeded')) AS gross,
  toInt64(sumIf(amount, type = 'refund')) AS refunds,
  toUInt32(countIf(type = 'payment_succeeded')) AS orders`;

export async function queryRevenueSummary(
  ch: ClickHouseHandle,
  input: RevenueParams,
): Promise<RevenueSummary> {
  const p = revenueParamsSchema.parse(input);
  const [money, audience] = await Promise.all([
    selectRows(
      ch,
      `SELECT currency, ${MONEY_COLUMNS} FROM ${ch.database}.events WHERE ${MONEY_WHERE} GROUP BY currency ORDER BY currency`,
      p,
      moneyRow,
    ),
    selectRows(
      ch,
      `SELECT toUInt32(countIf(type = 'session_start')) AS sessions, toUInt32(uniqExactIf(user_id, type = 'pitch_exposure')) AS exposed
FROM ${ch.database}.events
WHERE merchant_id = {merchantId:UUID} AND type IN ('session_start', 'pitch_exposure')
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`,
      p,
      audienceRow,
    ),
  ]);
  const sessions = audience[0]?.sessions ?? 0;
  const exposedUsers = audience[0]?.exposed ?? 0;
  return {
    sessions,
    exposedUsers,
    byCurrency: money.map((r) => {
      const net = r.gross - r.refunds;
      return {
        currency: r.currency,
        gross: r.gross,
        refunds: r.refunds,
        net,
        orders: r.orders,
        averageOrderValue: r.orders === 0 ? 0 : r.gross / r.orders,
        revenuePerSession: sessions === 0 ? 0 : net / sessions,
        revenuePerExposedUser: exposedUsers === 0 ? 0 : net / exposedUsers,
      };
    }),
  };
}
