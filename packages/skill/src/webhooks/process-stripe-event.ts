import type { Logger, RecordEvent } from '@pitchline/core';
import { applyOrderStatus, type OrderStatus, type PitchlineEvent, refundStatus } from '@pitchline/core';
import { type Order, orders, type PitchlineDb, processedWebhookEvents } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { deterministicEventId } from '../payments/event-id';

/**
 * What a verified Stripe event does to our orders. One transaction per event:
 *   1. insert the Stripe event id into processed_webhook_events (a redelivery stops here);
 *   2. find the order (metadata order_id, else PaymentIntent id, else Checkout Session id) FOR UPDATE;
 *   3. apply the observed status through the core state machine (forward only, so any delivery
 *      order ends in the furthest state);
 *   4. record the analytics event, still inside the transaction, then commit.
 * Recording before the commit is what makes a crash harmless: if we die after recording but before
 * committing, Stripe redelivers, we process again and record an event with the SAME event_id (it is
 * derived from Stripe's ids, see payments/event-id.ts), which analytics deduplicates. Recording after
 * the commit could lose the event for good, since the redelivery would stop at step 1.
 */

export const HANDLED_EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'checkout.session.completed',
  'charge.refunded',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

const metadataSchema = z.record(z.string(), z.string()).nullish();
/**
 * What the recorded analytics event carries must pass its contract (an ISO currency code, ids of at most
 * 200 characters): an object that would not is malformed (400), not a failure Stripe retries for days
 * (a 500 each time; found by stripe-webhook.fuzz.test.ts). Stripe's own ids are a few dozen characters.
 */
const stripeId = z.string().min(1).max(200);
const currencyCode = z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 currency code');
const expandable = z.union([stripeId, z.looseObject({ id: stripeId })]).nullish();

const paymentIntentSchema = z.looseObject({
  id: stripeId,
  amount: z.number().int().min(0),
  amount_received: z.number().int().min(0).nullish(),
  currency: currencyCode,
  metadata: metadataSchema,
  last_payment_error: z
    .looseObject({ code: z.string().nullish(), decline_code: z.string().nullish() })
    .nullish(),
});

const checkoutSessionSchema = z.looseObject({
  id: z.string(),
  amount_total: z.number().int().min(0).nullish(),
  currency: currencyCode.nullish(),
  client_reference_id: z.string().nullish(),
  metadata: metadataSchema,
  payment_intent: expandable,
  payment_status: z.string(),
});

const chargeSchema = z.looseObject({
  id: z.string(),
  amount: z.number().int().min(0),
  amount_refunded: z.number().int().min(0),
  currency: currencyCode,
  metadata: metadataSchema,
  payment_intent: expandable,
  refunds: z.looseObject({ data: z.array(z.looseObject({ id: stripeId })) }).nullish(),
});

export const stripeEventSchema = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().min(0),
  data: z.looseObject({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventEnvelope = z.infer<typeof stripeEventSchema>;

export type ProcessOutcome =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate' }
  | {
      outcome: 'processed';
      orderId: string;
      from: OrderStatus;
      to: OrderStatus;
      recorded: PitchlineEvent['type'][];
    };

/** A well-signed event whose object is not the shape its type promises: 400, nothing changes. */
export class InvalidStripeEventError extends Error {
  override name = 'InvalidStripeEventError';
}

/** No order matches the event: 404, nothing changes (Stripe will retry; an order may yet appear). */
export class UnknownOrderError extends Error {
  override name = 'UnknownOrderError';
}

export interface ProcessDeps {
  db: PitchlineDb;
  recordEvent: RecordEvent;
  logger: Logger;
}

type Tx = Parameters<Parameters<PitchlineDb['transaction']>[0]>[0];

interface Refs {
  orderId: string | undefined;
  paymentIntentId: string | undefined;
  checkoutSessionId: string | undefined;
}

export async function processStripeEvent(
  deps: ProcessDeps,
  event: StripeEventEnvelope,
): Promise<ProcessOutcome> {
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) {
    return { outcome: 'ignored', reason: `unhandled type ${event.type}` };
  }
  const type = event.type as HandledEventType;
  const plan = planFor(type, event);
  if (plan === 'not_a_payment') return { outcome: 'ignored', reason: 'checkout session not paid' };

  return deps.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(processedWebhookEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing({ target: processedWebhookEvents.id })
      .returning({ id: processedWebhookEvents.id });
    if (!fresh) return { outcome: 'duplicate' } as const;

    const order = await findOrderForUpdate(tx, plan.refs);
    // Throwing rolls back the processed-id insert too: nothing changes for an unknown order.
    if (!order) throw new UnknownOrderError(`no order for Stripe event ${event.id} (${event.type})`);

    // Stripe dates events in whole seconds, so a payment confirmed within a second of the order would
    // read as up to 999 ms before its own order_confirmed, and an ordered funnel would drop it.
    const ts = Math.max(event.created * 1000, order.createdAt.getTime());
    const { set, events } = plan.apply(order, ts, deps.logger);
    const to = (set.status as OrderStatus | undefined) ?? order.status;
    if (Object.keys(set).length > 0) await tx.update(orders).set(set).where(eq(orders.id, order.id));
    for (const e of events) await deps.recordEvent(e);
    return {
      outcome: 'processed',
      orderId: order.id,
      from: order.status,
      to,
      recorded: events.map((e) => e.type),
    } as const;
  });
}

interface Plan {
  refs: Refs;
  apply(
    order: Order,
    tsMs: number,
    logger: Logger,
  ): { set: Partial<typeof orders.$inferInsert>; events: PitchlineEvent[] };
}

function planFor(type: HandledEventType, event: StripeEventEnvelope): Plan | 'not_a_payment' {
  const object = event.data.object;
  switch (type) {
    case 'payment_intent.succeeded': {
      const pi = parse(paymentIntentSchema, object, event);
      return {
        refs: { orderId: pi.metadata?.order_id, paymentIntentId: pi.id, checkoutSessionId: undefined },
        apply: (order, ts, logger) =>
          paid(order, ts, logger, {
            paymentIntentId: pi.id,
            amount: pi.amount_received ?? pi.amount,
            currency: pi.currency,
          }),
      };
    }
    case 'checkout.session.completed': {
      const session = parse(checkoutSessionSchema, object, event);
      // Delayed methods (bank debits) complete the session unpaid; their PaymentIntent webhook pays.
      if (session.payment_status !== 'paid') return 'not_a_payment';
      const piId = idOf(session.payment_intent);
      return {
        refs: {
          orderId: session.metadata?.order_id ?? session.client_reference_id ?? undefined,
          paymentIntentId: piId,
          checkoutSessionId: session.id,
        },
        apply: (order, ts, logger) => {
          const result = paid(order, ts, logger, {
            paymentIntentId: piId,
            amount: session.amount_total ?? order.amountTotal,
            currency: session.currency ?? order.currency,
          });
          if (!order.checkoutSessionId) result.set.checkoutSessionId = session.id;
          return result;
        },
      };
    }
    case 'payment_intent.payment_failed': {
      const pi = parse(paymentIntentSchema, object, event);
      return {
        refs: { orderId: pi.metadata?.order_id, paymentIntentId: pi.id, checkoutSessionId: undefined },
        apply: (order, ts) => {
          const set: Partial<typeof orders.$inferInsert> = {};
          // Every failed off-session charge gets a Checkout link: the order waits for the shopper.
          const status = applyOrderStatus(order.status, 'awaiting_action');
          if (status !== order.status) set.status = status;
          if (!order.paymentIntentId) set.paymentIntentId = pi.id;
          const code = pi.last_payment_error?.code ?? undefined;
          const base = {
            ...eventBase(order, ts, `stripe_event:${event.id}`),
            order_id: order.id,
            amount: pi.amount,
            currency: pi.currency.toUpperCase(),
            variants: order.attribution,
            payment_intent_id: pi.id,
          };
          // Each failed attempt is its own fact, recorded even if a later success already landed.
          const recorded: PitchlineEvent =
            code === 'authentication_required'
              ? { ...base, type: 'payment_action_required' }
              : {
                  ...base,
                  type: 'payment_failed',
                  failure_code: (pi.last_payment_error?.decline_code ?? code ?? 'unknown').slice(0, 100),
                };
          return { set, events: [recorded] };
        },
      };
    }
    case 'charge.refunded': {
      const charge = parse(chargeSchema, object, event);
      const piId = idOf(charge.payment_intent);
      return {
        refs: { orderId: charge.metadata?.order_id, paymentIntentId: piId, checkoutSessionId: undefined },
        apply: (order, ts, logger) => {
          // amount_refunded is cumulative: replays and reordered partial refunds add nothing twice.
          let cumulative = charge.amount_refunded;
          if (cumulative > order.amountTotal) {
            logger.warn({ orderId: order.id, chargeId: charge.id }, 'refund exceeds order total; capped');
            cumulative = order.amountTotal;
          }
          if (cumulative <= order.refundedAmount) return { set: {}, events: [] };
          const set: Partial<typeof orders.$inferInsert> = { refundedAmount: cumulative };
          const status = applyOrderStatus(order.status, refundStatus(order.amountTotal, cumulative));
          if (status !== order.status) set.status = status;
          const refundId = charge.refunds?.data[0]?.id;
          const recorded: PitchlineEvent = {
            ...eventBase(order, ts, `refund:${charge.id}:${cumulative}`),
            type: 'refund',
            order_id: order.id,
            amount: cumulative - order.refundedAmount,
            currency: charge.currency.toUpperCase(),
            variants: order.attribution,
            ...(refundId ? { refund_id: refundId } : {}),
          };
          return { set, events: [recorded] };
        },
      };
    }
  }
}

/**
 * A payment observed (by either of the two events Stripe sends for it): counted once per order. One
 * that brought another amount or currency than the order's is not "paid": the order waits in
 * payment_review, out of revenue, until the matching payment arrives or the money is refunded.
 */
function paid(
  order: Order,
  ts: number,
  logger: Logger,
  payment: { paymentIntentId: string | undefined; amount: number; currency: string },
): { set: Partial<typeof orders.$inferInsert>; events: PitchlineEvent[] } {
  const currency = payment.currency.toUpperCase();
  if (payment.amount !== order.amountTotal || currency !== order.currency) {
    return mismatched(order, ts, logger, { ...payment, currency });
  }
  const set: Partial<typeof orders.$inferInsert> = {};
  const status = applyOrderStatus(order.status, 'paid');
  if (status !== order.status) set.status = status;
  // The PaymentIntent that paid is the one refunds will name (a Checkout payment replaces a failed one).
  if (payment.paymentIntentId && payment.paymentIntentId !== order.paymentIntentId) {
    set.paymentIntentId = payment.paymentIntentId;
  }
  // paid_at marks that the payment was counted; a refund seen first does not set it.
  if (order.paidAt) return { set, events: [] };
  set.paidAt = new Date(ts);
  const recorded: PitchlineEvent = {
    // Keyed on the order, not the Stripe event: the PaymentIntent and Checkout events of one payment
    // must yield one analytics event even if both were recorded.
    ...eventBase(order, ts, `payment_succeeded:${order.id}`),
    type: 'payment_succeeded',
    order_id: order.id,
    amount: payment.amount,
    currency,
    variants: order.attribution,
    ...(payment.paymentIntentId ? { payment_intent_id: payment.paymentIntentId } : {}),
  };
  return { set, events: [recorded] };
}

function mismatched(
  order: Order,
  ts: number,
  logger: Logger,
  payment: { paymentIntentId: string | undefined; amount: number; currency: string },
): { set: Partial<typeof orders.$inferInsert>; events: PitchlineEvent[] } {
  const status = applyOrderStatus(order.status, 'payment_review');
  // Already paid (or further): a stray mismatched event about it moves nothing and adds nothing.
  if (status === order.status && order.status !== 'payment_review') return { set: {}, events: [] };
  logger.warn(
    { orderId: order.id, paid: payment, expected: { amount: order.amountTotal, currency: order.currency } },
    'payment does not match the order total; the order waits for review',
  );
  const set: Partial<typeof orders.$inferInsert> = {
    status,
    receivedAmount: payment.amount,
    receivedCurrency: payment.currency,
  };
  if (payment.paymentIntentId && payment.paymentIntentId !== order.paymentIntentId) {
    set.paymentIntentId = payment.paymentIntentId;
  }
  const recorded: PitchlineEvent = {
    // One per order and amount received: the two Stripe events of one payment record it once.
    ...eventBase(order, ts, `payment_mismatch:${order.id}:${payment.amount}:${payment.currency}`),
    type: 'payment_mismatch',
    order_id: order.id,
    amount: payment.amount,
    currency: payment.currency,
    expected_amount: order.amountTotal,
    expected_currency: order.currency,
    variants: order.attribution,
    ...(payment.paymentIntentId ? { payment_intent_id: payment.paymentIntentId } : {}),
  };
  return { set, events: [recorded] };
}

function eventBase(order: Order, ts: number, idName: string) {
  return {
    // The id's time bits come from the order, not the Stripe event: two Stripe events about one
    // payment carry different `created` seconds, and their ids must still be equal.
    event_id: deterministicEventId(`stripe:${idName}`, order.createdAt.getTime()),
    ts,
    merchant_id: order.merchantId,
    skill_id: order.skillId,
    user_id: order.userId,
    session_id: order.sessionId,
  };
}

async function findOrderForUpdate(tx: Tx, refs: Refs): Promise<Order | undefined> {
  const byId = refs.orderId && z.uuid().safeParse(refs.orderId).success ? refs.orderId : undefined;
  const lookups = [
    byId ? eq(orders.id, byId) : undefined,
    refs.paymentIntentId ? eq(orders.paymentIntentId, refs.paymentIntentId) : undefined,
    refs.checkoutSessionId ? eq(orders.checkoutSessionId, refs.checkoutSessionId) : undefined,
  ];
  for (const where of lookups) {
    if (!where) continue;
    const [row] = await tx.select().from(orders).where(where).for('update');
    if (row) return row;
  }
  return undefined;
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  if (!value) return undefined;
  return typeof value === 'string' ? value : value.id;
}

function parse<T extends z.ZodType>(schema: T, object: unknown, event: StripeEventEnvelope): z.output<T> {
  const result = schema.safeParse(object);
  if (!result.success) {
    throw new InvalidStripeEventError(`${event.type} ${event.id}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
