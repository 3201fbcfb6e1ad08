import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOrderStatus,
  canTransition,
  isTerminalOrderStatus,
  ORDER_STATUSES,
  type OrderStatus,
  orderStatusSchema,
  refundStatus,
  wasOrderPaid,
} from './orders';

// The graph, written out edge by edge and independently of the rank, so a change to either one fails.
const ALLOWED: Record<OrderStatus, OrderStatus[]> = {
  pending: [
    'awaiting_action',
    'failed',
    'canceled',
    'payment_review',
    'paid',
    'partially_refunded',
    'refunded',
  ],
  awaiting_action: ['failed', 'canceled', 'payment_review', 'paid', 'partially_refunded', 'refunded'],
  failed: ['canceled', 'payment_review', 'paid', 'partially_refunded', 'refunded'],
  canceled: ['payment_review', 'paid', 'partially_refunded', 'refunded'],
  // A payment that did not match waits for review; the matching payment or a refund resolves it.
  payment_review: ['paid', 'partially_refunded', 'refunded'],
  paid: ['partially_refunded', 'refunded'],
  partially_refunded: ['refunded'],
  refunded: [],
};

describe('order state machine', () => {
  it('allows exactly the documented edges (all 64 pairs)', () => {
    expect(ORDER_STATUSES).toEqual(Object.keys(ALLOWED));
    let checked = 0;
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED[from].includes(to));
        checked++;
      }
    }
    expect(checked).toBe(64);
  });

  it('ignores a late payment_failed after paid, accepts paid after failed', () => {
    expect(applyOrderStatus('paid', 'failed')).toBe('paid');
    expect(applyOrderStatus('failed', 'paid')).toBe('paid');
    expect(applyOrderStatus('canceled', 'failed')).toBe('canceled');
    expect(applyOrderStatus('refunded', 'paid')).toBe('refunded');
    expect(applyOrderStatus('awaiting_action', 'pending')).toBe('awaiting_action');
  });

  it('only refunded is terminal; paid-ness follows capture', () => {
    expect(ORDER_STATUSES.filter(isTerminalOrderStatus)).toEqual(['refunded']);
    expect(ORDER_STATUSES.filter(wasOrderPaid)).toEqual(['paid', 'partially_refunded', 'refunded']);
  });

  it('ends in the furthest state observed, whatever the delivery order', () => {
    const status = fc.constantFrom(...ORDER_STATUSES);
    fc.assert(
      fc.property(fc.array(status, { maxLength: 12 }), (observed) => {
        const inOrder = observed.reduce(applyOrderStatus, 'pending' as OrderStatus);
        const reversed = [...observed].reverse().reduce(applyOrderStatus, 'pending' as OrderStatus);
        const furthest = observed.reduce<OrderStatus>(
          (best, s) => (ORDER_STATUSES.indexOf(s) > ORDER_STATUSES.indexOf(best) ? s : best),
          'pending',
        );
        expect(inOrder).toBe(furthest);
        expect(reversed).toBe(furthest);
      }),
    );
  });

  it('never moves backwards along any path', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ORDER_STATUSES), { maxLength: 20 }), (observed) => {
        let current: OrderStatus = 'pending';
        for (const next of observed) {
          const after = applyOrderStatus(current, next);
          expect(ORDER_STATUSES.indexOf(after)).toBeGreaterThanOrEqual(ORDER_STATUSES.indexOf(current));
          current = after;
        }
      }),
    );
  });

  it('parses statuses with zod', () => {
    expect(orderStatusSchema.parse('paid')).toBe('paid');
    expect(orderStatusSchema.safeParse('shipped').success).toBe(false);
  });

  it('derives the refund status from the cumulative refunded amount', () => {
    expect(refundStatus(1000, 1)).toBe('partially_refunded');
    expect(refundStatus(1000, 999)).toBe('partially_refunded');
    expect(refundStatus(1000, 1000)).toBe('refunded');
    expect(() => refundStatus(1000, 1001)).toThrow(/exceeds/);
    expect(() => refundStatus(1000, 0)).toThrow(/positive/);
    expect(() => refundStatus(1000, 1.5)).toThrow(/positive/);
  });
});
