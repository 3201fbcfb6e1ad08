import { newId, silentLogger } from '@pitchline/core';
import { orders } from '@pitchline/db';
import { postgresUnavailableReason } from '@pitchline/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaceOrderDeps, placeOrder } from '../payments/place-order';
import { StripeGateway } from '../payments/stripe-gateway';
import type { StripeEventObject } from '../payments/stripe-test-mode';
import { type FakeStripe, startFakeStripe } from '../payments/testing/fake-stripe';
import {
  eventSink,
  openPaymentsFixture,
  type PaymentsFixture,
  postWebhook,
} from '../payments/testing/fixtures';
import { createStripeWebhookApp } from './stripe-webhook';

/*
 * Races need a real server: PGlite is one connection, so nothing there ever runs concurrently.
 * Here deliveries race on a PostgreSQL pool (row locks, the processed-id primary key).
 */
const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const skip = await postgresUnavailableReason(PG_TEST_URL);
if (skip) console.warn(`[@pitchline/skill] skipping the PostgreSQL webhook races: ${skip}`);

const SECRET = 'whsec_race_test';

(skip ? describe.skip : describe)('webhook and confirmation races on PostgreSQL', () => {
  let fx: PaymentsFixture;
  let fake: FakeStripe;
  let deps: PlaceOrderDeps;
  const emitted: StripeEventObject[] = [];
  const sink = eventSink();

  beforeAll(async () => {
    [fx, fake] = await Promise.all([openPaymentsFixture('postgres', PG_TEST_URL), startFakeStripe()]);
    fake.engine.onEvent((e) => emitted.push(e));
    deps = {
      db: fx.database.db,
      gateway: new StripeGateway({ secretKey: 'sk_test_race', apiBase: fake.apiBase, maxNetworkRetries: 0 }),
      recordEvent: sink.recordEvent,
      sendCheckoutLink: async () => {},
      publicUrl: 'https://shop.example',
      logger: silentLogger,
    };
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await fx?.database.close();
  });

  it('every event of a decline-then-Checkout payment, each delivered 5 times at once: paid, each fact once', async () => {
    const customer = await fx.customer('pm_card_chargeDeclined');
    const placed = await placeOrder(deps, {
      merchantId: fx.merchantId,
      skillId: fx.skillId,
      sessionId: 'race-session',
      userId: 'race-user',
      customer,
      items: [{ productId: fx.productIds.mug, quantity: 1 }],
      variants: [],
    });
    fake.engine.completeCheckoutSession(placed.order.checkoutSessionId as string);
    const events = emitted.splice(0);
    sink.events.length = 0;
    const app = createStripeWebhookApp({
      db: fx.database.db,
      stripeWebhookSecret: SECRET,
      recordEvent: sink.recordEvent,
      logger: silentLogger,
    });

    const statuses = await Promise.all(
      events.flatMap((e) =>
        Array.from({ length: 5 }, () => postWebhook(app, e, SECRET).then((r) => r.status)),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const [order] = await fx.database.db.select().from(orders).where(eq(orders.id, placed.order.id));
    expect(order?.status).toBe('paid');
    expect(sink.events.map((e) => e.type).sort()).toEqual(['payment_failed', 'payment_succeeded']);
  });

  it('the same confirmation five times at once: one order, one charge', async () => {
    const customer = await fx.customer('pm_card_visa');
    const orderId = newId();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        placeOrder(deps, {
          orderId,
          merchantId: fx.merchantId,
          skillId: fx.skillId,
          sessionId: 'race-session-2',
          userId: 'race-user',
          customer,
          items: [{ productId: fx.productIds.coffee, quantity: 1 }],
          variants: [],
        }),
      ),
    );
    expect(results.every((r) => r.status === 'fulfilled' && r.value.kind === 'paid')).toBe(true);
    const rows = await fx.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(rows).toHaveLength(1);
    const intents = [...fake.engine.paymentIntents.values()].filter(
      (pi) => (pi.metadata as Record<string, string>).order_id === orderId,
    );
    expect(intents).toHaveLength(1);
  });
});
