import { canTransition, ORDER_STATUSES, type OrderStatus } from '@pitchline/core';
import { and, eq, inArray } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import { type NewOrder, orders } from './schema';

/** Columns that may change together with the status (e.g. `paidAt`, `paymentIntentId`). */
export type OrderStatusPatch = Partial<
  Pick<NewOrder, 'paidAt' | 'paymentIntentId' | 'checkoutSessionId' | 'checkoutUrl' | 'refundedAmount'>
>;

export interface AdvanceOrderResult {
  /** False when the order was already as far or further along (or does not exist). */
  changed: boolean;
  /** The status after the call; undefined when no such order exists. */
  status: OrderStatus | undefined;
}

/**
 * Moves an order to `to` only if the state machine allows it from its current status, in one
 * conditional UPDATE: two webhooks racing on the same order cannot move it backwards, whichever
 * commits first. `patch` is written only when the status changes.
 */
export async function advanceOrderStatus(
  db: PitchlineDb,
  orderId: string,
  to: OrderStatus,
  patch: OrderStatusPatch = {},
): Promise<AdvanceOrderResult> {
  const from = ORDER_STATUSES.filter((s) => canTransition(s, to));
  if (from.length > 0) {
    const updated = await db
      .update(orders)
      .set({ ...patch, status: to })
      .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
      .returning({ status: orders.status });
    if (updated[0]) return { changed: true, status: updated[0].status };
  }
  const current = await db.query.orders.findFirst({
    columns: { status: true },
    where: (o, { eq }) => eq(o.id, orderId),
  });
  return { changed: false, status: current?.status };
}
