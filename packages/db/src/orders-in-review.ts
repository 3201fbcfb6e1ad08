import { and, count, desc, eq } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import { orders } from './schema';

export type OrderInReview = {
  id: string;
  createdAt: Date;
  amountTotal: number;
  currency: string;
  receivedAmount: number | null;
  receivedCurrency: string | null;
};

/**
 * A merchant's orders whose payment brought another amount or currency than owed (status
 * payment_review): how many, and the newest `limit` of them. Out of revenue until resolved, so the
 * dashboard shows them beside it.
 */
export async function ordersInReview(
  db: PitchlineDb,
  merchantId: string,
  limit = 20,
): Promise<{ count: number; orders: OrderInReview[] }> {
  const where = and(eq(orders.merchantId, merchantId), eq(orders.status, 'payment_review'));
  const [total] = await db.select({ n: count() }).from(orders).where(where);
  const newest = await db
    .select({
      id: orders.id,
      createdAt: orders.createdAt,
      amountTotal: orders.amountTotal,
      currency: orders.currency,
      receivedAmount: orders.receivedAmount,
      receivedCurrency: orders.receivedCurrency,
    })
    .from(orders)
    .where(where)
    .orderBy(desc(orders.createdAt))
    .limit(limit);
  return { count: total?.n ?? 0, orders: newest };
}
