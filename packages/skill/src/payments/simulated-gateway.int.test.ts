import { silentLogger } from '@pitchline/core';
import { type Order, orders } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStripeWebhookApp } from '../webhooks/stripe-webhook';
import { type PlaceOrderDeps, placeOrder } from './place-order';
import { createSimulatedCheckoutApp } from './simulated-checkout-page';
import { SimulatedGateway } from './simulated-gateway';
import { eventSink, openPaymentsFixture, type PaymentsFixture } from './testing/fixtures';

const SECRET = 'whsec_simulated_test';

let fx: PaymentsFixture;
let sink: ReturnType<typeof eventSink>;
let gateway: SimulatedGateway;
let deliveries: { type: string; status: number }[];
let emails: string[];
let deps: PlaceOrderDeps;

beforeAll(async () => {
  fx = await openPaymentsFixture();
}, 60_000);
afterAll(() => fx?.database.close());
beforeEach(() => {
  sink = eventSink();
  deliveries = [];
  emails = [];
  const webhooks = createStripeWebhookApp({
    db: fx.database.db,
    stripeWebhookSecret: SECRET,
    recordEvent: sink.recordEvent,
    logger: silentLogger,
  });
  // Wired as the server wires it: the signed raw body goes through the real endpoint.
  gateway = new SimulatedGateway({
    webhookSecret: SECRET,
    publicUrl: 'http://127.0.0.1:8080/',
    deliver: async (rawBody, signature) => {
      const res = await webhooks.request('/', {
        method: 'POST',
        body: rawBody,
        headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
      });
      deliveries.push({ type: (JSON.parse(rawBody) as { type: string }).type, status: res.status });
      return res;
    },
  });
  deps = {
    db: fx.database.db,
    gateway,
    recordEvent: sink.recordEvent,
    sendCheckoutLink: async ({ url }) => {
      emails.push(url);
    },
    publicUrl: 'http://127.0.0.1:8080',
    logger: silentLogger,
  };
});

async function order(paymentMethod: string) {
  const customer = await fx.customer(paymentMethod);
  return placeOrder(deps, {
    merchantId: fx.merchantId,
    skillId: fx.skillId,
    sessionId: 'sim-session-1',
    userId: 'sim-user-1',
    customer,
    items: [{ productId: fx.productIds.coffee, quantity: 3 }],
    variants: ['coffee-pitch:scarcity'],
  });
}

async function reload(orderId: string): Promise<Order> {
  const [row] = await fx.database.db.select().from(orders).where(eq(orders.id, orderId));
  if (!row) throw new Error('order missing');
  return row;
}

describe('PAYMENTS=simulated, end to end', () => {
  it('place order → signed webhook delivered to our endpoint → order paid → payment_succeeded once', async () => {
    const result = await order('pm_card_visa');
    expect(result.kind).toBe('paid');
    await gateway.idle();
    expect(deliveries).toEqual([
      { type: 'payment_intent.created', status: 200 },
      { type: 'charge.succeeded', status: 200 },
      { type: 'payment_intent.succeeded', status: 200 },
    ]);
    const paid = await reload(result.order.id);
    expect(paid.status).toBe('paid');
    const succeeded = sink.events.filter((e) => e.type === 'payment_succeeded');
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({
      order_id: result.order.id,
      amount: 3 * 1650,
      currency: 'USD',
      session_id: 'sim-session-1',
      variants: ['coffee-pitch:scarcity'],
    });
  });

  it('a decline sends a link to our simulated Checkout page; paying there pays the order', async () => {
    const result = await order('pm_card_chargeDeclined');
    expect(result.kind).toBe('declined');
    expect(result.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:8080\/pay\/simulated\/cs_test_[0-9a-f]+$/);
    expect(emails).toEqual([result.checkoutUrl]);
    await gateway.idle();
    expect((await reload(result.order.id)).status).toBe('awaiting_action');
    expect(sink.events.map((e) => e.type)).toEqual(['order_confirmed', 'payment_failed']);

    gateway.completeCheckout(result.order.checkoutSessionId as string);
    await gateway.idle();
    expect((await reload(result.order.id)).status).toBe('paid');
    expect(sink.events.filter((e) => e.type === 'payment_succeeded')).toHaveLength(1);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it('authentication_required behaves like Stripe test mode, and a refund flows back', async () => {
    const result = await order('pm_card_authenticationRequired');
    expect(result.kind).toBe('action_required');
    gateway.completeCheckout(result.order.checkoutSessionId as string);
    await gateway.idle();
    const paid = await reload(result.order.id);
    expect(paid.status).toBe('paid');

    gateway.refund(paid.paymentIntentId as string, 1650);
    await gateway.idle();
    const refunded = await reload(result.order.id);
    expect([refunded.status, refunded.refundedAmount]).toEqual(['partially_refunded', 1650]);
    expect(sink.events.map((e) => e.type)).toEqual([
      'order_confirmed',
      'payment_action_required',
      'payment_succeeded',
      'refund',
    ]);
  });

  it('retries a refused delivery, as Stripe does', async () => {
    let refusals = 1;
    const flaky = new SimulatedGateway({
      webhookSecret: SECRET,
      publicUrl: 'http://127.0.0.1:8080',
      retryDelayMs: 1,
      deliver: async (raw, sig) => {
        if (refusals-- > 0) return { status: 503 };
        deliveries.push({ type: (JSON.parse(raw) as { type: string }).type, status: 200 });
        expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        return { status: 200 };
      },
    });
    await flaky.chargeOffSession({
      orderId: 'o-1',
      amount: 100,
      currency: 'USD',
      customerId: 'cus_1',
      paymentMethodId: 'pm_card_visa',
      attribution: {
        orderId: 'o-1',
        merchantId: 'm',
        skillId: 's',
        sessionId: 'x',
        userId: 'u',
        variants: [],
      },
    });
    await flaky.idle();
    expect(deliveries.map((d) => d.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it('the simulated Checkout page takes a test card, refuses a declining one, and pays the order', async () => {
    const result = await order('pm_card_chargeDeclined');
    const page = createSimulatedCheckoutApp({ gateway });
    const path = `/${result.order.checkoutSessionId}`;
    const shown = await page.request(path);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('$49.50');

    const declined = await page.request(path, {
      method: 'POST',
      body: new URLSearchParams({ payment_method: 'pm_card_chargeDeclined' }),
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');

    const paidRes = await page.request(path, {
      method: 'POST',
      body: new URLSearchParams({ payment_method: 'pm_card_visa' }),
    });
    expect(paidRes.status).toBe(303);
    expect(paidRes.headers.get('location')).toBe(
      `http://127.0.0.1:8080/pay/success?order=${result.order.id}`,
    );
    await gateway.idle();
    expect((await reload(result.order.id)).status).toBe('paid');
    expect(sink.events.filter((e) => e.type === 'payment_failed')).toHaveLength(2);
    expect((await page.request('/cs_test_nope')).status).toBe(404);
  });
});
