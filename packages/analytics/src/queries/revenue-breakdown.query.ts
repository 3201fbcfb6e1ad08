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
     * order was placed in; variant: the first "expKey:variantKey" heard in the session the order was
     * placed in (each order counts once, so variants add up to the total; '(none)' without a pitch);
     * with experimentKey, the first of that experiment's variants heard in the session.
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
    // Each payment or refund is credited to ONE variant: the first pitch heard in the session the order
    // was placed in (catalogue: net_revenue's variant attribution), so the variants add up to the total.
    // With experimentKey, the first of that experiment's variants heard in the session. The session's
    // first pitch comes from session_funnel, looked up by key: no scan of old sessions' events.
    const first =
      p.experimentKey === undefined
        ? 'first_variant.2'
        : `arraySort((k, t) -> t,
        arrayFilter((k, t) -> startsWith(k, concat({experimentKey:String}, ':')), variant_first.1, variant_first.2),
        arrayFilter((t, k) -> startsWith(k, concat({experimentKey:String}, ':')), variant_first.2, variant_first.1))[1]`;
    sql = `SELECT v.variant AS key, currency, ${MONEY_COLUMNS}
FROM (SELECT cityHash64(session_id) AS session_key, type, amount, currency FROM ${events} WHERE ${MONEY_WHERE}) AS e
LEFT JOIN (
  SELECT session_key, ${first} AS variant FROM ${qualified(ch.database, TABLES.sessionFunnel)} FINAL
  WHERE merchant_id = {merchantId:UUID} AND session_key IN (SELECT cityHash64(session_id) FROM ${events} WHERE ${MONEY_WHERE})
) AS v ON e.session_key = v.session_key
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
