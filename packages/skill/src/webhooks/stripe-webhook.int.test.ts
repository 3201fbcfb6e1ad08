import { newId, type PitchlineEvent, silentLogger } from '@pitchline/core';
import { type Order, orders, processedWebhookEvents } from '@pitchline/db';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder } from '../payments/place-order';
import { StripeGateway } from '../payments/stripe-gateway';
import type { StripeEventObject } from '../payments/stripe-test-mode';
import { type FakeStripe, startFakeStripe } from '../payments/testing/fake-stripe';
import {
  eventSink,
  openPaymentsFixture,
  type PaymentsFixture,
  postWebhook,
  stripeSignature,
} from '../payments/testing/fixtures';
import { createStripeWebhookApp } from './stripe-webhook';

const SECRET = 'whsec_webhook_test';

let fx: PaymentsFixture;
let fake: FakeStripe;
let gateway: StripeGateway;
let sink: ReturnType<typeof eventSink>;
let app: ReturnType<typeof createStripeWebhookApp>;
let emitted: StripeEventObject[];

beforeAll(async () => {
  [fx, fake] = await Promise.all([openPaymentsFixture(), startFakeStripe()]);
  gateway = new StripeGateway({ secretKey: 'sk_test_webhooks', apiBase: fake.apiBase, maxNetworkRetries: 0 });
  fake.engine.onEvent((e) => emitted.push(e));
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await fx?.database.close();
});
beforeEach(() => {
  sink = eventSink();
  emitted = [];
  app = createStripeWebhookApp({
    db: fx.database.db,
    stripeWebhookSecret: SECRET,
    recordEvent: sink.recordEvent,
    logger: silentLogger,
  });
});

/** Places an order through the real SDK against the fake; returns it and the events Stripe emitted. */
async function orderWith(paymentMethod: string) {
  const customer = await fx.customer(paymentMethod);
  const result = await placeOrder(
    {
      db: fx.database.db,
      gateway,
      recordEvent: async () => {},
      sendCheckoutLink: async () => {},
      publicUrl: 'https://shop.example',
      logger: silentLogger,
    },
    {
      merchantId: fx.merchantId,
      skillId: fx.skillId,
      sessionId: `session-${newId()}`,
      userId: 'hashed-user-wh',
      customer,
      items: [{ productId: fx.productIds.grinder, quantity: 1 }],
      variants: ['gear-pitch:benefit', 'coffee-pitch:control'],
    },
  );
  const events = emitted.splice(0);
  return { order: result.order, events };
}

function ofType(events: StripeEventObject[], type: string): StripeEventObject {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} among ${events.map((e) => e.type).join(', ')}`);
  return found;
}

async function reload(orderId: string): Promise<Order> {
  const [row] = await fx.database.db.select().from(orders).where(eq(orders.id, orderId));
  if (!row) throw new Error('order missing');
  return row;
}

async function processedCount(): Promise<number> {
  const [row] = await fx.database.db.select({ n: count() }).from(processedWebhookEvents);
  return row?.n ?? 0;
}

function types(events: PitchlineEvent[]): string[] {
  return events.map((e) => e.type);
}

describe('POST /webhooks/stripe', () => {
  it('a webhook delivered 10 times changes the order once and records one event', async () => {
    const { order, events } = await orderWith('pm_card_visa');
    const succeeded = ofType(events, 'payment_intent.succeeded');
    const bodies: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await postWebhook(app, succeeded, SECRET);
      expect(res.status).toBe(200);
      bodies.push(await res.json());
    }
    expect(bodies[0]).toMatchObject({ outcome: 'processed', from: 'pending', to: 'paid' });
    expect(bodies.slice(1).every((b) => (b as { outcome: string }).outcome === 'duplicate')).toBe(true);
    expect((await reload(order.id)).status).toBe('paid');
    expect(types(sink.events)).toEqual(['payment_succeeded']);
    expect(sink.events[0]).toMatchObject({
      amount: 12900,
      currency: 'USD',
      order_id: order.id,
      session_id: order.sessionId,
      variants: ['gear-pitch:benefit', 'coffee-pitch:control'],
    });
  });

  it('a payment is never dated before its order, though Stripe dates events in whole seconds', async () => {
    const { order, events } = await orderWith('pm_card_visa');
    const succeeded = ofType(events, 'payment_intent.succeeded');
    const confirmedAt = order.createdAt.getTime();
    // The order was confirmed 999 ms into a second; Stripe's event says that same second.
    const alignedOrder = Math.floor(confirmedAt / 1000) * 1000 + 999;
    await fx.database.db
      .update(orders)
      .set({ createdAt: new Date(alignedOrder) })
      .where(eq(orders.id, order.id));
    const res = await postWebhook(app, { ...succeeded, created: Math.floor(alignedOrder / 1000) }, SECRET);
    expect(res.status).toBe(200);
    expect(sink.events[0]).toMatchObject({ type: 'payment_succeeded', ts: alignedOrder });
    // A payment Stripe saw seconds later keeps Stripe's time.
    const later = await orderWith('pm_card_visa');
    const laterEvent = ofType(later.events, 'payment_intent.succeeded');
    const stripeSeconds = Math.floor(later.order.createdAt.getTime() / 1000) + 5;
    await postWebhook(app, { ...laterEvent, created: stripeSeconds }, SECRET);
    expect(sink.events[1]).toMatchObject({ type: 'payment_succeeded', ts: stripeSeconds * 1000 });
  });

  describe('a succeeded payment that does not match its order', () => {
    const tamper = (event: StripeEventObject, change: { amount?: number; currency?: string }) => {
      const copy = structuredClone(event);
      copy.id = `evt_mismatch_${newId()}`;
      const object = copy.data.object as { amount: number; amount_received?: number; currency: string };
      if (change.amount !== undefined) {
        object.amount = change.amount;
        object.amount_received = change.amount;
      }
      if (change.currency !== undefined) object.currency = change.currency;
      return copy;
    };

    it('a wrong amount puts the order in review, records payment_mismatch and no revenue', async () => {
      const { order, events } = await orderWith('pm_card_visa');
      const succeeded = ofType(events, 'payment_intent.succeeded');
      const res = await postWebhook(app, tamper(succeeded, { amount: 1 }), SECRET);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: 'processed', from: 'pending', to: 'payment_review' });
      const after = await reload(order.id);
      expect(after.status).toBe('payment_review');
      expect(after.paidAt).toBeNull();
      expect([after.receivedAmount, after.receivedCurrency]).toEqual([1, 'USD']);
      expect(types(sink.events)).toEqual(['payment_mismatch']);
      expect(sink.events[0]).toMatchObject({
        order_id: order.id,
        amount: 1,
        currency: 'USD',
        expected_amount: order.amountTotal,
        expected_currency: 'USD',
      });
      // The same payment's other event (or a redelivery with another id) changes nothing more.
      expect((await postWebhook(app, tamper(succeeded, { amount: 1 }), SECRET)).status).toBe(200);
      expect((await reload(order.id)).status).toBe('payment_review');
      expect(new Set(sink.events.map((e) => e.event_id)).size).toBe(1);
    });

    it('a wrong currency for the right number is a mismatch too', async () => {
      const { order, events } = await orderWith('pm_card_visa');
      const succeeded = ofType(events, 'payment_intent.succeeded');
      const res = await postWebhook(app, tamper(succeeded, { currency: 'jpy' }), SECRET);
      expect(res.status).toBe(200);
      expect((await reload(order.id)).status).toBe('payment_review');
      expect(types(sink.events)).toEqual(['payment_mismatch']);
    });

    it('an order in review becomes paid when the matching payment arrives', async () => {
      const { order, events } = await orderWith('pm_card_visa');
      const succeeded = ofType(events, 'payment_intent.succeeded');
      await postWebhook(app, tamper(succeeded, { amount: 1 }), SECRET);
      expect((await postWebhook(app, succeeded, SECRET)).status).toBe(200);
      const after = await reload(order.id);
      expect(after.status).toBe('paid');
      expect(types(sink.events)).toEqual(['payment_mismatch', 'payment_succeeded']);
      expect(sink.events[1]).toMatchObject({ amount: order.amountTotal });
    });
  });

  it('the two Stripe events of one Checkout payment count it once', async () => {
    const { order } = await orderWith('pm_card_chargeDeclined');
    fake.engine.completeCheckoutSession(order.checkoutSessionId as string);
    const completed = ofType(emitted, 'checkout.session.completed');
    const succeeded = ofType(emitted, 'payment_intent.succeeded');
    expect((await postWebhook(app, completed, SECRET)).status).toBe(200);
    expect((await postWebhook(app, succeeded, SECRET)).status).toBe(200);
    const after = await reload(order.id);
    expect(after.status).toBe('paid');
    expect(after.paymentIntentId).toBe((succeeded.data.object as { id: string }).id);
    expect(types(sink.events)).toEqual(['payment_succeeded']);
  });

  it('reordered: success delivered before the failure and the action-required ends paid', async () => {
    const declined = await orderWith('pm_card_chargeDeclined');
    const threeDs = await orderWith('pm_card_authenticationRequired');
    for (const { order, events } of [declined, threeDs]) {
      fake.engine.completeCheckoutSession(order.checkoutSessionId as string);
      const success = emitted.splice(0);
      for (const e of success) expect((await postWebhook(app, e, SECRET)).status).toBe(200);
      const failed = ofType(events, 'payment_intent.payment_failed');
      const res = await postWebhook(app, failed, SECRET);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: 'processed', from: 'paid', to: 'paid' });
      expect((await reload(order.id)).status).toBe('paid');
    }
    expect(sink.events.filter((e) => e.type === 'payment_succeeded')).toHaveLength(2);
  });

  it('refunds after paid: partial then full, each counted once, whatever the delivery order', async () => {
    const { order, events } = await orderWith('pm_card_visa');
    await postWebhook(app, ofType(events, 'payment_intent.succeeded'), SECRET);
    const pi = order.paymentIntentId as string;

    fake.engine.createRefund({ payment_intent: pi, amount: 2900 });
    const partial = ofType(emitted.splice(0), 'charge.refunded');
    fake.engine.createRefund({ payment_intent: pi });
    const rest = ofType(emitted.splice(0), 'charge.refunded');

    // Partial first.
    expect((await postWebhook(app, partial, SECRET)).status).toBe(200);
    let now = await reload(order.id);
    expect([now.status, now.refundedAmount]).toEqual(['partially_refunded', 2900]);
    expect(sink.events.at(-1)).toMatchObject({
      type: 'refund',
      amount: 2900,
      currency: 'USD',
      order_id: order.id,
    });
    // Replayed: nothing more.
    expect((await postWebhook(app, partial, SECRET)).status).toBe(200);
    // The rest.
    expect((await postWebhook(app, rest, SECRET)).status).toBe(200);
    now = await reload(order.id);
    expect([now.status, now.refundedAmount]).toEqual(['refunded', 12900]);
    const refunds = sink.events.filter((e) => e.type === 'refund');
    expect(refunds.map((e) => (e as { amount: number }).amount)).toEqual([2900, 10000]);

    // Another order whose refunds arrive backwards: the full one first, the partial one changes nothing.
    const second = await orderWith('pm_card_visa');
    await postWebhook(app, ofType(second.events, 'payment_intent.succeeded'), SECRET);
    fake.engine.createRefund({ payment_intent: second.order.paymentIntentId as string, amount: 1000 });
    const p2 = ofType(emitted.splice(0), 'charge.refunded');
    fake.engine.createRefund({ payment_intent: second.order.paymentIntentId as string });
    const full2 = ofType(emitted.splice(0), 'charge.refunded');
    sink.events.length = 0;
    await postWebhook(app, full2, SECRET);
    await postWebhook(app, p2, SECRET);
    now = await reload(second.order.id);
    expect([now.status, now.refundedAmount]).toEqual(['refunded', 12900]);
    expect(sink.events.map((e) => [e.type, (e as { amount: number }).amount])).toEqual([['refund', 12900]]);
  });

  it('a refund seen before its payment still ends refunded, and the late payment is still counted once', async () => {
    const { order, events } = await orderWith('pm_card_visa');
    fake.engine.createRefund({ payment_intent: order.paymentIntentId as string });
    const refunded = ofType(emitted.splice(0), 'charge.refunded');
    await postWebhook(app, refunded, SECRET);
    await postWebhook(app, ofType(events, 'payment_intent.succeeded'), SECRET);
    const now = await reload(order.id);
    expect(now.status).toBe('refunded');
    expect(types(sink.events)).toEqual(['refund', 'payment_succeeded']);
  });

  describe('bad input changes nothing', () => {
    let order: Order;
    let succeeded: StripeEventObject;
    let before: { processed: number };

    beforeEach(async () => {
      const placed = await orderWith('pm_card_visa');
      order = placed.order;
      succeeded = ofType(placed.events, 'payment_intent.succeeded');
      before = { processed: await processedCount() };
    });

    async function expectUnchanged() {
      expect((await reload(order.id)).status).toBe('pending');
      expect(await processedCount()).toBe(before.processed);
      expect(sink.events).toHaveLength(0);
    }

    it('forged signature → 400', async () => {
      const res = await postWebhook(app, succeeded, 'whsec_someone_else');
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_signature' });
      await expectUnchanged();
    });

    it('body changed after signing → 400', async () => {
      const body = JSON.stringify(succeeded);
      const signature = stripeSignature(body, SECRET);
      const tampered = body.replace('"amount":12900', '"amount":1');
      expect(tampered).not.toBe(body);
      const res = await postWebhook(app, undefined, SECRET, { body: tampered, signature });
      expect(res.status).toBe(400);
      await expectUnchanged();
    });

    it('stale timestamp (older than 300 s) → 400', async () => {
      const res = await postWebhook(app, succeeded, SECRET, {
        timestamp: Math.floor(Date.now() / 1000) - 301,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_signature' });
      await expectUnchanged();
      // …while one 299 s old is still accepted.
      const ok = await postWebhook(app, succeeded, SECRET, {
        timestamp: Math.floor(Date.now() / 1000) - 299,
      });
      expect(ok.status).toBe(200);
    });

    it('timestamp more than 300 s in the future → 400 (the SDK bounds only the age)', async () => {
      const res = await postWebhook(app, succeeded, SECRET, {
        timestamp: Math.floor(Date.now() / 1000) + 301,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_signature' });
      await expectUnchanged();
      // A sender clock a little ahead of ours is not an attack.
      const ok = await postWebhook(app, succeeded, SECRET, {
        timestamp: Math.floor(Date.now() / 1000) + 299,
      });
      expect(ok.status).toBe(200);
    });

    it('a future timestamp hidden among several t= entries → 400', async () => {
      const body = JSON.stringify(succeeded);
      const future = Math.floor(Date.now() / 1000) + 3600;
      const signature = stripeSignature(body, SECRET, future);
      const res = await postWebhook(app, undefined, SECRET, {
        body,
        signature: `t=${Math.floor(Date.now() / 1000)},${signature}`,
      });
      expect(res.status).toBe(400);
      await expectUnchanged();
    });

    it('missing signature → 400', async () => {
      const res = await app.request('/', { method: 'POST', body: JSON.stringify(succeeded) });
      expect(res.status).toBe(400);
      await expectUnchanged();
    });

    it('malformed JSON, correctly signed → 400', async () => {
      const res = await postWebhook(app, undefined, SECRET, { body: '{"id": "evt_1", "type": ' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'malformed_payload' });
      await expectUnchanged();
    });

    it('a handled type whose object is not the right shape → 400', async () => {
      const broken = { ...succeeded, id: 'evt_broken', data: { object: { id: 'pi_x', amount: 'lots' } } };
      const res = await postWebhook(app, broken, SECRET);
      expect(res.status).toBe(400);
      await expectUnchanged();
    });

    it('unknown order → 404, and the event id is not burnt', async () => {
      const stranger = structuredClone(succeeded);
      stranger.id = `evt_stranger_${newId()}`;
      const object = stranger.data.object as { id: string; metadata: Record<string, string> };
      object.id = 'pi_not_ours';
      object.metadata = { order_id: newId() };
      const res = await postWebhook(app, stranger, SECRET);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'unknown_order' });
      await expectUnchanged();
    });

    it('unknown event type → 200, ignored', async () => {
      const other = { ...succeeded, id: 'evt_other', type: 'customer.created' };
      const res = await postWebhook(app, other, SECRET);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: 'ignored' });
      await expectUnchanged();
    });

    it('a body over 256 KB → 413', async () => {
      const huge = { ...succeeded, padding: 'x'.repeat(300 * 1024) };
      const res = await postWebhook(app, huge, SECRET);
      expect(res.status).toBe(413);
      await expectUnchanged();
    });
  });

  it('a crash between recording and commit: the redelivery records the same event id again (deduplicated downstream)', async () => {
    const { order, events } = await orderWith('pm_card_visa');
    const succeeded = ofType(events, 'payment_intent.succeeded');
    const recorded: PitchlineEvent[] = [];
    let failNext = true;
    const crashing = createStripeWebhookApp({
      db: fx.database.db,
      stripeWebhookSecret: SECRET,
      logger: silentLogger,
      // Records, then dies before acknowledging: the transaction must not commit.
      recordEvent: async (e) => {
        recorded.push(e);
        if (failNext) {
          failNext = false;
          throw new Error('process died');
        }
      },
    });
    expect((await postWebhook(crashing, succeeded, SECRET)).status).toBe(500);
    expect((await reload(order.id)).status).toBe('pending');
    expect((await postWebhook(crashing, succeeded, SECRET)).status).toBe(200);
    expect((await reload(order.id)).status).toBe('paid');
    expect(recorded).toHaveLength(2);
    expect(recorded[1]?.event_id).toBe(recorded[0]?.event_id);
    expect((await postWebhook(crashing, succeeded, SECRET)).status).toBe(200);
    expect(recorded).toHaveLength(2);
  });
});
