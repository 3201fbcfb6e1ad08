import type { Logger, RecordEvent } from '@pitchline/core';
import { applyOrderStatus, newId, type OrderStatus, wasOrderPaid } from '@pitchline/core';
import {
  type LinkedCustomer,
  type Order,
  type OrderItem,
  orderItems,
  orders,
  type PitchlineDb,
  products,
} from '@pitchline/db';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { deterministicEventId } from './event-id';
import type { ChargeOutcome, PaymentAttribution, PaymentGateway } from './gateway';
import { PaymentOutcomeUnknownError } from './stripe-gateway';

export type SendCheckoutLink = (args: {
  order: Order;
  url: string;
  customer: LinkedCustomer;
}) => Promise<void>;

export interface PlaceOrderDeps {
  db: PitchlineDb;
  gateway: PaymentGateway;
  recordEvent: RecordEvent;
  /** E-mails the Checkout link; a failure is logged, the shopper still hears about the app card. */
  sendCheckoutLink: SendCheckoutLink;
  /** Our public base URL: Checkout's success and cancel pages live under it. */
  publicUrl: string;
  logger: Logger;
  now?: () => number;
}

const placeOrderInputSchema = z.object({
  /**
   * The dialog may mint the order id before confirming (kept in session attributes) so that a retried
   * confirmation finds the same order and the same idempotency key instead of charging again.
   */
  orderId: z.uuid().optional(),
  merchantId: z.uuid(),
  skillId: z.string().min(1).max(200),
  sessionId: z.string().min(1).max(200),
  /** Hashed Alexa user id (core hashUserId), as events carry it. */
  userId: z.string().min(1).max(200),
  items: z
    .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(50),
  /** `expKey:variantKey` pairs of the pitches heard in the session. */
  variants: z.array(z.string().min(1).max(200)).max(50),
});

export type PlaceOrderInput = z.input<typeof placeOrderInputSchema> & { customer: LinkedCustomer };

export type PlaceOrderKind = 'paid' | 'processing' | 'action_required' | 'declined';

export interface PlaceOrderResult {
  /**
   * paid: Stripe took the money (the order row turns `paid` when the signed webhook confirms it);
   * processing: accepted, not settled, or Stripe's answer was lost (the webhook will settle it);
   * action_required: the bank wants the shopper (3-D Secure), a Checkout link was sent;
   * declined: the card was refused, a Checkout link was sent to pay another way.
   */
  kind: PlaceOrderKind;
  order: Order;
  /** For the Alexa app card; set for action_required and declined when a link could be made. */
  checkoutUrl?: string;
  /** Stripe's decline or error code, e.g. card_declined, insufficient_funds. */
  reason?: string;
}

export class OrderInputError extends Error {
  override name = 'OrderInputError';
}

/**
 * On the shopper's "yes": the order and its items are written in one transaction, then charged
 * off-session on the linked customer's saved payment method, the order id as idempotency key. A
 * refused charge leaves the order awaiting the shopper, with a Checkout link for the app card and
 * the e-mail hook. Money state (paid, refunds) and payment events are written only by the webhook,
 * in the same transaction, so Postgres and analytics revenue reconcile.
 */
export async function placeOrder(deps: PlaceOrderDeps, rawInput: PlaceOrderInput): Promise<PlaceOrderResult> {
  const { customer, ...rest } = rawInput;
  const input = placeOrderInputSchema.parse(rest);
  if (customer.merchantId !== input.merchantId) {
    throw new OrderInputError('linked customer belongs to another merchant');
  }
  const now = deps.now ?? Date.now;

  let order = input.orderId ? await findOrder(deps.db, input.merchantId, input.orderId) : undefined;
  order ??= await createOrder(deps, { ...input, orderId: input.orderId ?? newId() }, customer, now());

  // A confirmation retried after the money moved must not even reach Stripe.
  if (wasOrderPaid(order.status)) return { kind: 'paid', order };
  if (order.status === 'canceled') throw new OrderInputError(`order ${order.id} was canceled`);

  const attribution: PaymentAttribution = {
    orderId: order.id,
    merchantId: order.merchantId,
    skillId: order.skillId,
    sessionId: order.sessionId,
    userId: order.userId,
    variants: order.attribution,
  };

  let outcome: ChargeOutcome;
  if (!customer.defaultPaymentMethodId) {
    outcome = { status: 'requires_action', paymentIntentId: undefined, code: 'no_saved_payment_method' };
  } else {
    try {
      outcome = await deps.gateway.chargeOffSession({
        orderId: order.id,
        amount: order.amountTotal,
        currency: order.currency,
        customerId: customer.stripeCustomerId,
        paymentMethodId: customer.defaultPaymentMethodId,
        attribution,
      });
    } catch (err) {
      if (!(err instanceof PaymentOutcomeUnknownError)) throw err;
      // Asking again with the same key is safe; until then the webhook is the one to tell us.
      deps.logger.warn({ orderId: order.id, err }, 'charge outcome unknown');
      return { kind: 'processing', order };
    }
  }

  if (outcome.status === 'succeeded' || outcome.status === 'processing') {
    order = await updateOrder(deps.db, order.id, { paymentIntentId: outcome.paymentIntentId });
    return { kind: outcome.status === 'succeeded' ? 'paid' : 'processing', order };
  }

  order = await updateOrder(deps.db, order.id, {
    paymentIntentId: outcome.paymentIntentId,
    observed: 'awaiting_action',
  });
  const kind: PlaceOrderKind = outcome.status === 'requires_action' ? 'action_required' : 'declined';
  const reason = outcome.status === 'declined' ? (outcome.declineCode ?? outcome.code) : outcome.code;
  const link = await checkoutLink(deps, order, customer, attribution);
  if (link) order = link.order;
  return { kind, order, reason, ...(link ? { checkoutUrl: link.url } : {}) };
}

async function findOrder(db: PitchlineDb, merchantId: string, orderId: string): Promise<Order | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.merchantId, merchantId)))
    .limit(1);
  return row;
}

async function createOrder(
  deps: PlaceOrderDeps,
  input: z.output<typeof placeOrderInputSchema> & { orderId: string },
  customer: LinkedCustomer,
  nowMs: number,
): Promise<Order> {
  const productIds = [...new Set(input.items.map((i) => i.productId))];
  // Prices come from the catalog, never from the dialog: what the shopper heard was read from it.
  const catalog = await deps.db
    .select()
    .from(products)
    .where(
      and(
        eq(products.merchantId, input.merchantId),
        eq(products.active, true),
        inArray(products.id, productIds),
      ),
    );
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const lines = input.items.map((item) => {
    const product = byId.get(item.productId);
    if (!product) throw new OrderInputError(`product ${item.productId} is not for sale`);
    return { product, quantity: item.quantity };
  });
  const currency = lines[0]?.product.currency as string;
  if (lines.some((l) => l.product.currency !== currency)) {
    throw new OrderInputError('an order is charged in one currency');
  }
  const amountTotal = lines.reduce((sum, l) => sum + l.product.priceAmount * l.quantity, 0);
  if (amountTotal <= 0) throw new OrderInputError('nothing to charge');

  return deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(orders)
      .values({
        id: input.orderId,
        merchantId: input.merchantId,
        skillId: input.skillId,
        linkedCustomerId: customer.id,
        userId: input.userId,
        sessionId: input.sessionId,
        status: 'pending',
        amountTotal,
        currency,
        attribution: input.variants,
        // The confirmation's instant, as its order_confirmed event says (not the database's clock): a
        // payment is never dated before it, and replayed history keeps its orders on their own days.
        createdAt: new Date(nowMs),
      })
      // Two confirmations racing with one minted id: the loser reads the winner's order.
      .onConflictDoNothing({ target: orders.id })
      .returning();
    if (!created) {
      const existing = await tx.select().from(orders).where(eq(orders.id, input.orderId));
      const found = existing[0];
      if (!found || found.merchantId !== input.merchantId) throw new OrderInputError('order id in use');
      return found;
    }
    await tx.insert(orderItems).values(
      lines.map((l) => ({
        orderId: created.id,
        productId: l.product.id,
        name: l.product.name,
        unitAmount: l.product.priceAmount,
        quantity: l.quantity,
        currency: l.product.currency,
      })),
    );
    // Recorded before commit: if the process dies after it, a retry re-records the same event id.
    await deps.recordEvent({
      type: 'order_confirmed',
      event_id: deterministicEventId(`order_confirmed:${created.id}`, nowMs),
      ts: nowMs,
      merchant_id: created.merchantId,
      skill_id: created.skillId,
      user_id: created.userId,
      session_id: created.sessionId,
      order_id: created.id,
      amount: created.amountTotal,
      currency: created.currency,
      variants: created.attribution,
    });
    return created;
  });
}

/** Saves what the charge told us; a status only ever moves forward (a webhook may have been first). */
async function updateOrder(
  db: PitchlineDb,
  orderId: string,
  change: { paymentIntentId: string | undefined; observed?: OrderStatus },
): Promise<Order> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!current) throw new Error(`order ${orderId} vanished`);
    const status = change.observed ? applyOrderStatus(current.status, change.observed) : current.status;
    // The webhook may already have recorded the PaymentIntent that finally paid: keep that one.
    const paymentIntentId = current.paymentIntentId ?? change.paymentIntentId ?? null;
    if (status === current.status && paymentIntentId === current.paymentIntentId) return current;
    const [updated] = await tx
      .update(orders)
      .set({ status, paymentIntentId })
      .where(eq(orders.id, orderId))
      .returning();
    return updated as Order;
  });
}

async function checkoutLink(
  deps: PlaceOrderDeps,
  order: Order,
  customer: LinkedCustomer,
  attribution: PaymentAttribution,
): Promise<{ url: string; order: Order } | undefined> {
  const items: OrderItem[] = await deps.db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
  const base = deps.publicUrl.replace(/\/+$/, '');
  let link: { sessionId: string; url: string };
  try {
    // Idempotent per order: a retried confirmation gets the same Checkout Session back.
    link = await deps.gateway.createCheckoutLink({
      orderId: order.id,
      currency: order.currency,
      customerId: customer.stripeCustomerId,
      lineItems: items.map((i) => ({ name: i.name, quantity: i.quantity, unitAmount: i.unitAmount })),
      attribution,
      successUrl: `${base}/pay/success?order=${order.id}`,
      cancelUrl: `${base}/pay/cancel?order=${order.id}`,
    });
  } catch (err) {
    deps.logger.error({ orderId: order.id, err }, 'could not create a Checkout link');
    return undefined;
  }

  // Attach the link only where none is attached yet: that tells a first confirmation from a retry.
  const [attached] = await deps.db
    .update(orders)
    .set({ checkoutSessionId: link.sessionId, checkoutUrl: link.url })
    .where(and(eq(orders.id, order.id), isNull(orders.checkoutSessionId)))
    .returning();
  const isNew = attached !== undefined;
  const current = attached ?? ((await findOrder(deps.db, order.merchantId, order.id)) as Order);

  // Only the confirmation that attached the link sends it, so a retry does not e-mail twice.
  if (isNew) {
    try {
      await deps.sendCheckoutLink({ order: current, url: link.url, customer });
    } catch (err) {
      deps.logger.error({ orderId: order.id, err }, 'could not e-mail the Checkout link');
    }
  }
  return { url: current.checkoutUrl ?? link.url, order: current };
}
