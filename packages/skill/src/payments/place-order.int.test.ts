import { newId, silentLogger } from '@pitchline/core';
import { type LinkedCustomer, type Order, orderItems, orders } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStripeWebhookApp } from '../webhooks/stripe-webhook';
import { type PlaceOrderDeps, type PlaceOrderInput, placeOrder } from './place-order';
import { StripeGateway } from './stripe-gateway';
import type { StripeEventObject } from './stripe-test-mode';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe';
import { eventSink, openPaymentsFixture, type PaymentsFixture, postWebhook } from './testing/fixtures';

const SECRET = 'whsec_place_order_test';

let fx: PaymentsFixture;
let fake: FakeStripe;
let sink: ReturnType<typeof eventSink>;
let emails: { order: Order; url: string; customer: LinkedCustomer }[];
let pending: StripeEventObject[];
let deps: PlaceOrderDeps;
let webhooks: ReturnType<typeof createStripeWebhookApp>;

beforeAll(async () => {
  [fx, fake] = await Promise.all([openPaymentsFixture(), startFakeStripe()]);
  fake.engine.onEvent((e) => pending.push(e));
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await fx?.database.close();
});
beforeEach(() => {
  sink = eventSink();
  emails = [];
  pending = [];
  fake.requests.length = 0;
  deps = {
    db: fx.database.db,
    gateway: new StripeGateway({ secretKey: 'sk_test_orders', apiBase: fake.apiBase, maxNetworkRetries: 0 }),
    recordEvent: sink.recordEvent,
    sendCheckoutLink: async (args) => {
      emails.push(args);
    },
    publicUrl: 'https://shop.example/',
    logger: silentLogger,
  };
  webhooks = createStripeWebhookApp({
    db: fx.database.db,
    stripeWebhookSecret: SECRET,
    recordEvent: sink.recordEvent,
    logger: silentLogger,
  });
});

function input(customer: LinkedCustomer, extra: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    merchantId: fx.merchantId,
    skillId: fx.skillId,
    sessionId: 'amzn1.echo-api.session.abc',
    userId: 'hashed-user-abc',
    customer,
    items: [
      { productId: fx.productIds.coffee, quantity: 2 },
      { productId: fx.productIds.mug, quantity: 1 },
    ],
    variants: ['coffee-pitch:story'],
    ...extra,
  };
}

/** Stripe's deliveries of everything it emitted so far, in order. */
async function deliverPending(): Promise<number[]> {
  const batch = pending.splice(0);
  const statuses: number[] = [];
  for (const e of batch) statuses.push((await postWebhook(webhooks, e, SECRET)).status);
  return statuses;
}

async function reload(orderId: string): Promise<Order> {
  const [row] = await fx.database.db.select().from(orders).where(eq(orders.id, orderId));
  if (!row) throw new Error('order missing');
  return row;
}

describe('placeOrder with the Stripe SDK', () => {
  it('succeeds: order and items in Postgres, one exact PaymentIntent request, paid when the webhook lands', async () => {
    const customer = await fx.customer('pm_card_visa');
    const result = await placeOrder(deps, input(customer));

    expect(result.kind).toBe('paid');
    expect(result.checkoutUrl).toBeUndefined();
    const order = result.order;
    expect(order.amountTotal).toBe(2 * 1650 + 2200);
    const items = await fx.database.db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(items.map((i) => [i.name, i.quantity, i.unitAmount]).sort()).toEqual([
      ['Huila', 2, 1650],
      ['Mug', 1, 2200],
    ]);

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/payment_intents');
    expect(req?.idempotencyKey).toBe(order.id);
    expect(req?.body).toMatchObject({
      amount: '5500',
      currency: 'usd',
      customer: customer.stripeCustomerId,
      payment_method: 'pm_card_visa',
      off_session: 'true',
      confirm: 'true',
      metadata: {
        order_id: order.id,
        merchant_id: fx.merchantId,
        skill_id: fx.skillId,
        session_id: 'amzn1.echo-api.session.abc',
        user_id: 'hashed-user-abc',
        variants: 'coffee-pitch:story',
      },
    });
    // Stripe said yes, but the books move on Stripe's signed word only.
    expect(order.status).toBe('pending');
    expect(order.paymentIntentId).toMatch(/^pi_/);

    expect(await deliverPending()).toEqual([200, 200, 200]); // created, charge.succeeded, succeeded
    const paid = await reload(order.id);
    expect(paid.status).toBe('paid');
    expect(paid.paidAt).toBeInstanceOf(Date);
    expect(sink.events.map((e) => e.type)).toEqual(['order_confirmed', 'payment_succeeded']);
    expect(sink.events[1]).toMatchObject({
      type: 'payment_succeeded',
      order_id: order.id,
      amount: 5500,
      currency: 'USD',
      merchant_id: fx.merchantId,
      skill_id: fx.skillId,
      session_id: 'amzn1.echo-api.session.abc',
      user_id: 'hashed-user-abc',
      variants: ['coffee-pitch:story'],
      payment_intent_id: order.paymentIntentId,
    });
  });

  it('declined: the order waits, a Checkout link goes to the card and the e-mail hook, paying it pays the order', async () => {
    const customer = await fx.customer('pm_card_chargeDeclined');
    const result = await placeOrder(deps, input(customer));

    expect(result.kind).toBe('declined');
    expect(result.reason).toBe('generic_decline');
    expect(result.order.status).toBe('awaiting_action');
    expect(result.checkoutUrl).toMatch(/\/cs_test_/);
    expect(result.order.checkoutUrl).toBe(result.checkoutUrl);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.url).toBe(result.checkoutUrl);
    expect(emails[0]?.order.id).toBe(result.order.id);
    expect(emails[0]?.customer.id).toBe(customer.id);
    const checkoutReq = fake.requests.find((r) => r.path === '/v1/checkout/sessions');
    expect(checkoutReq?.body).toMatchObject({
      client_reference_id: result.order.id,
      success_url: `https://shop.example/pay/success?order=${result.order.id}`,
      metadata: { order_id: result.order.id },
    });

    await deliverPending();
    expect((await reload(result.order.id)).status).toBe('awaiting_action');
    expect(sink.events.at(-1)).toMatchObject({
      type: 'payment_failed',
      failure_code: 'generic_decline',
      order_id: result.order.id,
      amount: 5500,
    });

    // The shopper opens the link and pays with a working card.
    fake.engine.completeCheckoutSession(result.order.checkoutSessionId as string, 'pm_card_visa');
    expect((await deliverPending()).every((s) => s === 200)).toBe(true);
    const paid = await reload(result.order.id);
    expect(paid.status).toBe('paid');
    expect(paid.paymentIntentId).not.toBe(result.order.paymentIntentId);
    expect(sink.events.filter((e) => e.type === 'payment_succeeded')).toHaveLength(1);
  });

  it('authentication_required: action_required with a link, recorded as payment_action_required', async () => {
    const customer = await fx.customer('pm_card_authenticationRequired');
    const result = await placeOrder(deps, input(customer));
    expect(result.kind).toBe('action_required');
    expect(result.reason).toBe('authentication_required');
    expect(result.order.status).toBe('awaiting_action');
    expect(result.checkoutUrl).toBeDefined();
    expect(emails).toHaveLength(1);
    await deliverPending();
    expect(sink.events.map((e) => e.type)).toEqual(['order_confirmed', 'payment_action_required']);
  });

  it('a retried confirmation charges once; once paid it does not even reach Stripe', async () => {
    const customer = await fx.customer('pm_card_visa');
    const orderId = newId();
    const first = await placeOrder(deps, input(customer, { orderId }));
    const second = await placeOrder(deps, input(customer, { orderId }));
    expect(first.kind).toBe('paid');
    expect(second.kind).toBe('paid');
    expect(second.order.id).toBe(orderId);
    expect(second.order.paymentIntentId).toBe(first.order.paymentIntentId);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([orderId, orderId]);
    const intents = [...fake.engine.paymentIntents.values()].filter(
      (pi) => (pi.metadata as Record<string, string>).order_id === orderId,
    );
    expect(intents).toHaveLength(1);
    const items = await fx.database.db.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    expect(items).toHaveLength(2);
    expect(sink.events.filter((e) => e.type === 'order_confirmed')).toHaveLength(1);

    await deliverPending();
    fake.requests.length = 0;
    const third = await placeOrder(deps, input(customer, { orderId }));
    expect(third.kind).toBe('paid');
    expect(third.order.status).toBe('paid');
    expect(fake.requests).toHaveLength(0);
  });

  it('a retried declined confirmation reuses the Checkout Session and e-mails once', async () => {
    const customer = await fx.customer('pm_card_chargeDeclinedInsufficientFunds');
    const orderId = newId();
    const first = await placeOrder(deps, input(customer, { orderId }));
    const second = await placeOrder(deps, input(customer, { orderId }));
    expect(first.reason).toBe('insufficient_funds');
    expect(second.kind).toBe('declined');
    expect(second.checkoutUrl).toBe(first.checkoutUrl);
    expect(emails).toHaveLength(1);
    expect(fake.engine.checkoutSessions.size).toBeGreaterThan(0);
    const sessions = [...fake.engine.checkoutSessions.values()].filter(
      (s) => s.client_reference_id === orderId,
    );
    expect(sessions).toHaveLength(1);
  });

  it('refuses products of another merchant or not for sale, writing nothing', async () => {
    const customer = await fx.customer('pm_card_visa');
    const orderId = newId();
    await expect(
      placeOrder(deps, input(customer, { orderId, items: [{ productId: newId(), quantity: 1 }] })),
    ).rejects.toThrow(/not for sale/);
    expect(await fx.database.db.select().from(orders).where(eq(orders.id, orderId))).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });

  it("Stripe charged but its answer was lost: 'processing', a retry does not charge again, the webhook settles it", async () => {
    const customer = await fx.customer('pm_card_visa');
    const orderId = newId();
    const impatient = {
      ...deps,
      gateway: new StripeGateway({
        secretKey: 'sk_test_orders',
        apiBase: fake.apiBase,
        maxNetworkRetries: 0,
        timeoutMs: 150,
      }),
    };
    fake.latencyMs = 600;
    try {
      const lost = await placeOrder(impatient, input(customer, { orderId }));
      expect(lost.kind).toBe('processing');
      expect(lost.order.status).toBe('pending');
    } finally {
      fake.latencyMs = 0;
    }
    const retried = await placeOrder(deps, input(customer, { orderId }));
    expect(retried.kind).toBe('paid');
    const intents = [...fake.engine.paymentIntents.values()].filter(
      (pi) => (pi.metadata as Record<string, string>).order_id === orderId,
    );
    expect(intents).toHaveLength(1);
    await deliverPending();
    expect((await reload(orderId)).status).toBe('paid');
    expect(sink.events.filter((e) => e.type === 'payment_succeeded')).toHaveLength(1);
  });
});
