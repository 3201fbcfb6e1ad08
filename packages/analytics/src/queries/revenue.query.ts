import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { BUCKET_RANGE, type SourceOption, useRollup } from './overview-rollup';
import { checkRange, dateRangeShape } from './params';
import { LOCAL_RANGE, selectRows, TS_FROM, TS_TO_EXCL } from './run';
import { querySessionCount } from './sessions';

/**
 * Revenue as the events record it: gross is what payment_succeeded captured (one event per order, made
 * by the skill when the money is confirmed), refunds are the refund events (each the amount newly given
 * back), net is their difference. Each counts on the merchant's local day it happened. Amounts are
 * integer minor units per currency, never converted, so they reconcile to the cent with the orders table.
 * Zones on whole or half hours read the overview rollup (migration 0005): the same sums and distinct sets.
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
const audienceRow = z.object({ exposed: z.coerce.number() });

export const MONEY_WHERE = `merchant_id = {merchantId:UUID} AND type IN ('payment_succeeded', 'refund')
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`;
export const MONEY_COLUMNS = `toInt64(sumIf(amount, type = 'payment_succeeded')) AS gross,
  toInt64(sumIf(amount, type = 'refund')) AS refunds,
  toUInt32(countIf(type = 'payment_succeeded')) AS orders`;

/**
 * The rollup's money rows: 'totals' rows whose dim is a currency. Payments and refunds always carry one
 * (the event contract requires an ISO code), so dim '' holds only the other events.
 */
export const ROLLUP_MONEY_WHERE = `kind = 'totals' AND dim != '' AND ${BUCKET_RANGE}`;
/** Qualified (r.gross): an alias equal to the column's name would otherwise shadow it inside sum(). */
export const ROLLUP_MONEY_COLUMNS = `toInt64(sum(r.gross)) AS gross, toInt64(sum(r.refunds)) AS refunds,
  toUInt32(sum(r.orders)) AS orders`;

function summarySql(db: string, rollup: boolean): { money: string; audience: string } {
  if (rollup) {
    const rollupTable = qualified(db, TABLES.overviewRollup);
    return {
      money: `SELECT dim AS currency, ${ROLLUP_MONEY_COLUMNS}
FROM ${rollupTable} AS r WHERE ${ROLLUP_MONEY_WHERE} GROUP BY currency ORDER BY currency`,
      audience: `SELECT toUInt32(uniqExactMerge(exposed_users)) AS exposed
FROM ${rollupTable} WHERE kind = 'totals' AND ${BUCKET_RANGE}`,
    };
  }
  const events = qualified(db, TABLES.events);
  return {
    money: `SELECT currency, ${MONEY_COLUMNS} FROM ${events} WHERE ${MONEY_WHERE} GROUP BY currency ORDER BY currency`,
    audience: `SELECT toUInt32(uniqExact(user_id)) AS exposed
FROM ${events}
WHERE merchant_id = {merchantId:UUID} AND type = 'pitch_exposure'
  AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} AND ${LOCAL_RANGE}`,
  };
}

export async function queryRevenueSummary(
  ch: ClickHouseHandle,
  input: RevenueParams,
  options?: SourceOption,
): Promise<RevenueSummary> {
  const p = revenueParamsSchema.parse(input);
  const sql = summarySql(ch.database, await useRollup(ch, p, options));
  const [money, audience, sessions] = await Promise.all([
    selectRows(ch, sql.money, p, moneyRow),
    selectRows(ch, sql.audience, p, audienceRow),
    // The one definition of the range's sessions (sessions.ts), shared with every other page.
    querySessionCount(ch, p, options),
  ]);
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
