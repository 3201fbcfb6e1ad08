import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { type SourceOption, useRollup } from './overview-rollup';
import { checkRange, dateRangeShape } from './params';
import { MONEY_COLUMNS, MONEY_WHERE, ROLLUP_MONEY_COLUMNS, ROLLUP_MONEY_WHERE } from './revenue.query';
import { NONE_LABEL, selectRows } from './run';

export const revenueBreakdownSchema = z
  .object({
    ...dateRangeShape,
    /**
     * day: the merchant's local day of the payment or refund; locale: the locale of the session the
     * order was placed in; variant: each "expKey:variantKey" the shopper heard before ordering (an order
     * counts once in each, so variants do not add up to the total); restricted to one experiment's
     * variants with experimentKey.
     */
    by: z.enum(['day', 'locale', 'variant']),
    experimentKey: z.string().min(1).max(100).optional(),
  })
  .superRefine(checkRange);

export interface RevenueRow {
  key: string;
  currency: string;
  gross: number;
  refunds: number;
  net: number;
  orders: number;
}

const rowSchema = z.object({
  key: z.string(),
  currency: z.string(),
  gross: z.coerce.number(),
  refunds: z.coerce.number(),
  orders: z.coerce.number(),
});

export async function queryRevenueBreakdown(
  ch: ClickHouseHandle,
  input: z.input<typeof revenueBreakdownSchema>,
  options?: SourceOption,
): Promise<RevenueRow[]> {
  const p = revenueBreakdownSchema.parse(input);
  const events = qualified(ch.database, TABLES.events);
  let sql: string;
  if (p.by === 'day' && (await useRollup(ch, p, options))) {
    // Every bucket of the range lies inside one local day (overview-rollup.ts): its day is its events' day.
    sql = `SELECT toString(toDate(bucket, {tz:String})) AS key, dim AS currency, ${ROLLUP_MONEY_COLUMNS}
FROM ${qualified(ch.database, TABLES.overviewRollup)} AS r WHERE ${ROLLUP_MONEY_WHERE} GROUP BY key, currency ORDER BY key, currency`;
  } else if (p.by === 'day') {
    sql = `SELECT toString(toDate(ts, {tz:String})) AS key, currency, ${MONEY_COLUMNS}
FROM ${events} WHERE ${MONEY_WHERE} GROUP BY key, currency ORDER BY key, currency`;
  } else if (p.by === 'variant') {
    // `chosen`: the order's pairs, or only the requested experiment's; none at all counts as '(none)'.
    sql = `SELECT pair AS key, currency, ${MONEY_COLUMNS}
FROM (
  SELECT type, amount, currency,
    arrayFilter(v -> {experimentKey:String} = '' OR startsWith(v, concat({experimentKey:String}, ':')), variants) AS chosen
  FROM ${events} WHERE ${MONEY_WHERE}
)
ARRAY JOIN if(empty(chosen), [''], chosen) AS pair
GROUP BY key, currency ORDER BY key, currency`;
  } else {
    // The session's locale comes from the session rollup, looked up by its key: no scan of old sessions.
    sql = `SELECT l.locale AS key, currency, ${MONEY_COLUMNS}
FROM (SELECT session_id, cityHash64(session_id) AS session_key, type, amount, currency FROM ${events} WHERE ${MONEY_WHERE}) AS e
LEFT JOIN (
  SELECT session_key, max(locale) AS locale FROM ${qualified(ch.database, TABLES.sessionSummary)}
  WHERE merchant_id = {merchantId:UUID} AND session_key IN (SELECT cityHash64(session_id) FROM ${events} WHERE ${MONEY_WHERE})
  GROUP BY session_key
) AS l ON e.session_key = l.session_key
GROUP BY key, currency ORDER BY key, currency`;
  }
  const rows = await selectRows(ch, sql, { ...p, experimentKey: p.experimentKey ?? '' }, rowSchema);
  return rows.map((r) => ({
    key: r.key === '' ? NONE_LABEL : r.key,
    currency: r.currency,
    gross: r.gross,
    refunds: r.refunds,
    net: r.gross - r.refunds,
    orders: r.orders,
  }));
}
