import { z } from 'zod';

/**
 * The order state machine.
 *
 * Stripe delivers webhooks at least once and in no guaranteed order, and the skill learns outcomes
 * both synchronously (the off-session PaymentIntent call) and from webhooks. So a status is never
 * "set": an observed status is applied only if it moves the order forward. Every state has a rank and
 * a transition is allowed exactly when it raises the rank, which makes applying observations
 * commutative: whatever order they arrive in, the order ends in the furthest state observed.
 *
 *   rank 0  pending              order confirmed by voice, nothing charged yet
 *   rank 1  awaiting_action      the shopper must act (3-D Secure, or pay through the Checkout link)
 *   rank 2  failed               the charge failed; a Checkout link may still be paid later
 *   rank 3  canceled             shopper or expiry gave up on it
 *   rank 4  payment_review       a payment succeeded for another amount or currency than the order's:
 *                                money moved, but not the money owed; not revenue until resolved
 *   rank 5  paid                 money captured
 *   rank 6  partially_refunded   some of it given back (further partial refunds keep this status)
 *   rank 7  refunded             all of it given back; terminal
 *
 *   pending ─▶ awaiting_action ─▶ failed ─▶ canceled ─▶ payment_review ─▶ paid ─▶ partially_refunded ─▶ refunded
 *      └───────────────┴─────────────┴──────────┴───────────────┴──────────▲ (any earlier state may jump ahead)
 *
 * Consequences that are intended:
 * - a late `payment_failed` after `paid` changes nothing (rank 2 < 4);
 * - `paid` after `failed` is allowed: a retry through the Checkout link can succeed;
 * - `paid` after `canceled` is allowed: if money moved, the ledger must say so, or revenue would not
 *   reconcile with Stripe; refunding it is a separate, explicit act;
 * - a refund observed before its payment (out-of-order webhooks) still lands the order in a refunded
 *   state, and the late `paid` that follows is ignored;
 * - `canceled` after `failed` is allowed (the shopper gives up), `failed` after `canceled` is not;
 * - `payment_review` is resolved by the payment that matches (→ paid) or by refunding what came in.
 */
export const ORDER_STATUSES = [
  'pending',
  'awaiting_action',
  'failed',
  'canceled',
  'payment_review',
  'paid',
  'partially_refunded',
  'refunded',
] as const;

export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** Position of a status in the forward-only order above. */
export function orderStatusRank(status: OrderStatus): number {
  return ORDER_STATUSES.indexOf(status);
}

/** Whether an order in `from` may move to `to`. Staying put is not a transition. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return orderStatusRank(to) > orderStatusRank(from);
}

/** The status after observing `observed`: it, if that moves forward, else the current one. */
export function applyOrderStatus(current: OrderStatus, observed: OrderStatus): OrderStatus {
  return canTransition(current, observed) ? observed : current;
}

/** Statuses from which no observation can move the order. */
export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return ORDER_STATUSES.every((to) => !canTransition(status, to));
}

/** Statuses in which money was captured at some point (revenue before refunds counts these). */
export function wasOrderPaid(status: OrderStatus): boolean {
  return orderStatusRank(status) >= orderStatusRank('paid');
}

/**
 * Which refund status a cumulative refunded amount means. Callers keep the cumulative amount (Stripe
 * reports `amount_refunded` per charge), so repeated partial refunds stay idempotent.
 */
export function refundStatus(amountTotal: number, refundedAmount: number): 'partially_refunded' | 'refunded' {
  if (!Number.isInteger(refundedAmount) || refundedAmount <= 0) {
    throw new Error('a refund status needs a positive integer refunded amount');
  }
  if (refundedAmount > amountTotal) throw new Error('refunded amount exceeds the order total');
  return refundedAmount === amountTotal ? 'refunded' : 'partially_refunded';
}
