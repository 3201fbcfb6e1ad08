import { ORDER_STATUSES } from '@pitchline/core';
import { sql } from 'drizzle-orm';
import {
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { merchants, skills } from './accounts';
import { products } from './catalog';
import { createdAt, currency, id, isCurrency, money, oneOf, updatedAt } from './columns';

/* Money: linked shoppers, orders (the source of truth for revenue) and their items, handled Stripe events. */

/** Alexa account linking: an access token (kept only as its SHA-256) maps to a Stripe customer. */
export const linkedCustomers = pgTable(
  'linked_customers',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    /** sha256 hex of the Alexa access token; the token itself is never stored. */
    accessTokenHash: char('access_token_hash', { length: 64 }).notNull().unique(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    defaultPaymentMethodId: text('default_payment_method_id'),
    email: text('email'),
    name: text('name'),
    createdAt: createdAt(),
  },
  (t) => [
    index('linked_customers_merchant_idx').on(t.merchantId),
    check('linked_customers_token_hash_check', sql`${t.accessTokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/** Orders are the source of truth for money: analytics revenue must reconcile with this table. */
export const orders = pgTable(
  'orders',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    skillId: text('skill_id')
      .notNull()
      .references(() => skills.id),
    linkedCustomerId: uuid('linked_customer_id').references(() => linkedCustomers.id, {
      onDelete: 'set null',
    }),
    /** Hashed Alexa user id, the same value analytics events carry. */
    userId: text('user_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** Moves only forward: see `canTransition` in @pitchline/core. */
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    amountTotal: money('amount_total').notNull(),
    currency: currency().notNull(),
    paymentIntentId: text('payment_intent_id'),
    checkoutSessionId: text('checkout_session_id'),
    checkoutUrl: text('checkout_url'),
    /** Cumulative, as Stripe reports it, so a redelivered refund webhook changes nothing. */
    refundedAmount: money('refunded_amount').notNull().default(0),
    /** `expKey:variantKey` pairs of the pitches heard before ordering. */
    attribution: jsonb('attribution').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    /**
     * What a payment in `payment_review` brought in, when it was not the order's amount and currency:
     * what the merchant sees to resolve it. Null on every other order.
     */
    receivedAmount: money('received_amount'),
    receivedCurrency: currency('received_currency'),
  },
  (t) => [
    index('orders_merchant_created_idx').on(t.merchantId, t.createdAt),
    // Webhooks find their order by these; unique because one payment belongs to one order.
    uniqueIndex('orders_payment_intent_idx').on(t.paymentIntentId),
    uniqueIndex('orders_checkout_session_idx').on(t.checkoutSessionId),
    check('orders_status_check', oneOf(t.status, ORDER_STATUSES)),
    check('orders_amount_check', sql`${t.amountTotal} >= 0`),
    check('orders_refund_check', sql`${t.refundedAmount} between 0 and ${t.amountTotal}`),
    check('orders_currency_check', isCurrency(t.currency)),
    check(
      'orders_received_check',
      sql`(${t.receivedAmount} is null) = (${t.receivedCurrency} is null) and (${t.receivedAmount} is null or ${t.receivedAmount} >= 0)`,
    ),
    check('orders_attribution_check', sql`jsonb_typeof(${t.attribution}) = 'array'`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** Snapshot: the receipt says what was sold then, whatever the catalog says now. */
    name: text('name').notNull(),
    unitAmount: money('unit_amount').notNull(),
    quantity: integer('quantity').notNull(),
    currency: currency().notNull(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    index('order_items_product_idx').on(t.productId),
    check('order_items_unit_amount_check', sql`${t.unitAmount} >= 0`),
    check('order_items_quantity_check', sql`${t.quantity} between 1 and 1000`),
    check('order_items_currency_check', isCurrency(t.currency)),
  ],
);

/** Stripe event ids already handled: a redelivered webhook is acknowledged and skipped. */
export const processedWebhookEvents = pgTable('processed_webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
