import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { checkRange, dateRangeShape } from './params';
import { MONEY_WHERE } from './revenue.query';
import { selectRows, TS_FROM, TS_TO_EXCL } from './run';

export interface ProductRevenue {
  productId: string;
  currency: string;
  /** Cart value of the product in sessions whose order was paid in the range (adds minus removes). */
  amount: number;
  /** Paid sessions that had it in the cart. */
  sessions: number;
}

const rowSchema = z.object({
  product: z.string(),
  currency: z.string(),
  amount: z.coerce.number(),
  sessions: z.coerce.number(),
});
const paramsSchema = z.object(dateRangeShape).superRefine(checkRange);

/**
 * Payment events carry the order total, not its lines; the lines are the cart events of the session the
 * order was paid for (built within a day before it). Per-order line items live in the orders table;
 * this is the analytics-side view, per product, of what paid carts held.
 */
export async function queryRevenueByProduct(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
): Promise<ProductRevenue[]> {
  const p = paramsSchema.parse(input);
  const events = qualified(ch.database, TABLES.events);
  const sql = `
SELECT toString(product_id) AS product, currency,
  toInt64(sumIf(quantity * unit_amount, type = 'cart_add')) - toInt64(sumIf(quantity * unit_amount, type = 'cart_remove')) AS amount,
  toUInt32(uniqExact(session_id)) AS sessions
FROM ${events}
WHERE merchant_id = {merchantId:UUID} AND type IN ('cart_add', 'cart_remove')
  AND ts >= ${TS_FROM} - INTERVAL 1 DAY AND ts < ${TS_TO_EXCL}
  AND session_id IN (SELECT session_id FROM ${events} WHERE ${MONEY_WHERE} AND type = 'payment_succeeded')
GROUP BY product, currency
ORDER BY amount DESC, product`;
  const rows = await selectRows(ch, sql, p, rowSchema);
  return rows.map((r) => ({
    productId: r.product,
    currency: r.currency,
    amount: r.amount,
    sessions: r.sessions,
  }));
}
