import { concat, formatMoney, type OrderStatus, text } from '@pitchline/core';
import { orders } from '@pitchline/db';
import { and, desc, eq } from 'drizzle-orm';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

const STATUS_SPEECH: Record<OrderStatus, string> = {
  pending: 'is being placed',
  awaiting_action: 'is waiting for your payment: please use the link I sent',
  failed: 'could not be charged: please use the payment link I sent',
  canceled: 'was canceled',
  payment_review: 'has a payment the shop is checking; it will be in touch',
  paid: 'is paid and on its way',
  partially_refunded: 'was partly refunded',
  refunded: 'was refunded',
};

export const orderStatusHandler: DialogHandler = {
  name: 'OrderStatus',
  intents: ['OrderStatusIntent'],
  async handle(input, turn, deps) {
    // The shopper's latest order with this merchant; userId is the hashed Alexa id orders carry.
    const [latest] = await deps.db
      .select({
        status: orders.status,
        amountTotal: orders.amountTotal,
        currency: orders.currency,
        createdAt: orders.createdAt,
      })
      .from(orders)
      .where(and(eq(orders.merchantId, turn.merchantId), eq(orders.userId, turn.userId)))
      .orderBy(desc(orders.createdAt))
      .limit(1);
    if (!latest)
      return ask(
        input,
        text("I don't see any orders from you yet."),
        text('Would you like to browse our catalog?'),
      );
    const total = formatMoney({ amount: latest.amountTotal, currency: latest.currency }, turn.locale);
    return ask(
      input,
      concat(text(`Your latest order, for ${total}, ${STATUS_SPEECH[latest.status]}.`)),
      text('What else can I help with?'),
      { cardTitle: 'Order status' },
    );
  },
};
