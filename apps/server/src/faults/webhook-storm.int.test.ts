import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateDevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { EventWriter, queryOverview } from '@pitchline/analytics';
import { openTestClickHouse, orderEvents, type TestClickHouse } from '@pitchline/analytics/testing';
import type { EventType } from '@pitchline/core';
import { DEMO_MERCHANT_ID, seedDemo } from '@pitchline/db';
import { openTestDatabase, postgresUnavailableReason, type TestDatabase } from '@pitchline/db/testing';
import { createSkillApp } from '@pitchline/skill';
import { SimulatedGateway, saveLinkedCustomer } from '@pitchline/skill/payments';
import type { Hono } from 'hono';
import { describe, expect } from 'vitest';
import { faultFileBudget } from './budget';
import { BUY, playSession, type Send } from './shopper';

// Measured and budgeted in README.md beside this file.
const { beforeAll, it, afterAll } = faultFileBudget('webhook-storm', 25);

/**
 * Webhook storms through the real skill app: shoppers buy by voice (signed requests), the simulated
 * Stripe signs each webhook as Stripe would, and the test delivers them itself — every event ten times
 * at once, and orders' events in reverse order (refunds before the payment, a Checkout payment before
 * the decline it made up for). Orders (PostgreSQL, where races are real) must end in the right state,
 * ClickHouse must count each payment once, and the dashboard's revenue must equal the orders table.
 */
const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'whsec_fault_storm';

type Delivery = { payload: string; signature: string; orderId: string; type: string; id: string };

let database: TestDatabase;
let ch: TestClickHouse;
let writer: EventWriter;
let walRoot: string;
let app: Hono;
let gateway: SimulatedGateway;
let send: Send;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  const pg = (await postgresUnavailableReason(PG_TEST_URL)) === undefined;
  [database, ch, walRoot] = await Promise.all([
    pg ? openTestDatabase('postgres', { postgresUrl: PG_TEST_URL }) : openTestDatabase('pglite'),
    openTestClickHouse(),
    mkdtemp(path.join(tmpdir(), 'pitchline-storm-')),
  ]);
  await seedDemo(database.db);
  writer = new EventWriter({ ch, walDir: path.join(walRoot, 'event-log'), batchMaxDelayMs: 50 });
  const dev = await loadOrCreateDevSigner(path.join(walRoot, 'dev-ca'));
  gateway = new SimulatedGateway({
    webhookSecret: SECRET,
    publicUrl: 'http://127.0.0.1:3000',
    // Kept, not delivered: the test is the one delivering, as often and in whatever order it likes.
    deliver: async (payload, signature) => {
      const event = JSON.parse(payload) as {
        id: string;
        type: string;
        data: { object: { metadata?: { order_id?: string } } };
      };
      deliveries.push({
        payload,
        signature,
        id: event.id,
        type: event.type,
        orderId: event.data.object.metadata?.order_id ?? '',
      });
      return { status: 200 };
    },
  });
  app = createSkillApp({
    db: database.db,
    recordEvent: (event) => writer.record(event),
    userIdHashKey: 'fault-storm-user-id-hash-key-0123456789',
    verification: { enabled: true, trustedRootsPem: [dev.ca.certPem], preloadedChainsDir: dev.chainsDir },
    payments: { gateway, webhookSecret: SECRET },
  });
  send = async (envelope) => {
    const body = JSON.stringify(envelope);
    return app.request('/alexa', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, dev.signer) },
    });
  };
});

afterAll(async () => {
  await writer?.close();
  await ch?.dispose();
  await database?.close();
  if (walRoot) await rm(walRoot, { recursive: true, force: true });
});

/** One delivery of a captured event, with the signature Stripe sent it with (valid for 5 minutes). */
async function deliver(d: Delivery): Promise<number> {
  const res = await app.request('/webhooks/stripe', {
    method: 'POST',
    body: d.payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': d.signature },
  });
  await res.body?.cancel();
  return res.status;
}

function orderById(id: string) {
  return database.db.query.orders.findFirst({ where: (o, { eq }) => eq(o.id, id) });
}

async function storm(events: Delivery[], times: number): Promise<number[]> {
  return Promise.all(events.flatMap((d) => Array.from({ length: times }, () => deliver(d))));
}

/** Places orders by voice; their webhooks are captured, not delivered. */
async function buy(shoppers: number, accessToken?: string): Promise<string[]> {
  const sessions = await Promise.all(
    Array.from({ length: shoppers }, () => playSession(send, BUY, accessToken)),
  );
  for (const s of sessions) expect(s.failed).toEqual([]);
  await gateway.idle();
  const placed = await database.db.query.orders.findMany({
    where: (o, { inArray }) =>
      inArray(
        o.sessionId,
        sessions.map((s) => s.sessionId),
      ),
  });
  expect(placed).toHaveLength(shoppers);
  return placed.map((o) => o.id);
}

function capturedFor(orderId: string): Delivery[] {
  return deliveries.filter((d) => d.orderId === orderId);
}

/** Per order, how many `type` events ClickHouse holds and their total amount. */
async function countByOrder(type: EventType): Promise<Map<string, { n: number; amount: number }>> {
  const byOrder = new Map<string, { n: number; amount: number }>();
  for (const e of await orderEvents(ch, { types: [type] })) {
    const seen = byOrder.get(e.orderId) ?? { n: 0, amount: 0 };
    byOrder.set(e.orderId, { n: seen.n + 1, amount: seen.amount + e.amount });
  }
  return byOrder;
}

describe('webhook storms', () => {
  let orderIds: string[] = [];

  beforeAll(async () => {
    orderIds = await buy(3);
    // Nothing delivered yet: the orders wait for their webhooks.
    const placed = await Promise.all(orderIds.map(orderById));
    expect(placed.every((o) => o?.status !== 'paid')).toBe(true);
  });

  it('the same Stripe event ten times at once: paid once, one payment_succeeded per order', async () => {
    const [a, b] = orderIds as [string, string];
    const events = deliveries.filter((d) => d.orderId === a || d.orderId === b);
    expect(events.map((d) => d.type)).toContain('payment_intent.succeeded');
    const statuses = await storm(events, 10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const id of [a, b]) {
      const order = await orderById(id);
      expect(order?.status).toBe('paid');
      expect(order?.paidAt).toBeInstanceOf(Date);
    }
  });

  it('a payment and two refunds delivered in reverse order, each ten times: refunded, counted once', async () => {
    const c = orderIds[2] as string;
    const paymentIntentId = (await orderById(c))?.paymentIntentId as string;
    gateway.refund(paymentIntentId, 500);
    gateway.refund(paymentIntentId);
    await gateway.idle();
    const events = deliveries.filter((d) => d.orderId === c);
    expect(events.filter((d) => d.type === 'charge.refunded')).toHaveLength(2);
    // Reversed, the full refund arrives first and the payment after both refunds.
    const types = events.map((d) => d.type);
    expect(types.indexOf('payment_intent.succeeded')).toBeLessThan(types.indexOf('charge.refunded'));
    expect(types.at(-1)).toBe('charge.refunded');
    for (const d of [...events].reverse()) {
      const statuses = await storm([d], 10);
      // An order unknown yet is 404 (Stripe retries); every event here names an existing order.
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    const order = await orderById(c);
    expect(order?.status).toBe('refunded');
    expect(order?.refundedAmount).toBe(order?.amountTotal);
    expect(order?.paidAt).toBeInstanceOf(Date);
  });

  it('declined, then paid on Checkout, some refunded: every order’s events reversed, ten times each, all at once', async () => {
    await saveLinkedCustomer(database.db, {
      merchantId: DEMO_MERCHANT_ID,
      accessToken: 'storm-declining-token',
      stripeCustomerId: 'cus_storm_declines',
      defaultPaymentMethodId: 'pm_card_chargeDeclined',
    });
    const declined = await buy(3, 'storm-declining-token');
    orderIds.push(...declined);
    // The shopper pays on the Checkout page the decline sent them: a second PaymentIntent, and the session.
    for (const id of declined) gateway.completeCheckout((await orderById(id))?.checkoutSessionId as string);
    await gateway.idle();
    const paidBy = new Map(
      declined.map((id) => {
        const succeeded = capturedFor(id).find((d) => d.type === 'payment_intent.succeeded');
        return [
          id,
          (JSON.parse(succeeded?.payload ?? '{}') as { data: { object: { id: string } } }).data.object.id,
        ];
      }),
    );
    const [kept, partly, fully] = declined as [string, string, string];
    gateway.refund(paidBy.get(partly) as string, 700);
    gateway.refund(paidBy.get(fully) as string, 300);
    gateway.refund(paidBy.get(fully) as string);
    await gateway.idle();

    // Stripe also sends what we ignore (payment_intent.created, charge.succeeded): delivered all the same.
    const handled = (id: string) =>
      capturedFor(id)
        .map((d) => d.type)
        .filter((t) => !['payment_intent.created', 'charge.succeeded'].includes(t));
    const paidAfterDecline = [
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ];
    expect(handled(kept)).toEqual(paidAfterDecline);
    expect(handled(partly)).toEqual([...paidAfterDecline, 'charge.refunded']);
    expect(handled(fully)).toEqual([...paidAfterDecline, 'charge.refunded', 'charge.refunded']);
    for (const id of declined) {
      const failed = capturedFor(id).find((d) => d.type === 'payment_intent.payment_failed') as Delivery;
      // The decline named the first PaymentIntent, the Checkout payment another one.
      expect(JSON.parse(failed.payload).data.object.id).not.toBe(paidBy.get(id));
      expect((await orderById(id))?.status).toBe('awaiting_action');
    }

    // Every order's history backwards (last refund first, the decline last), each event ten times at
    // once, the three orders side by side.
    const statuses = (
      await Promise.all(
        declined.map(async (id) => {
          const out: number[] = [];
          for (const d of [...capturedFor(id)].reverse()) out.push(...(await storm([d], 10)));
          return out;
        }),
      )
    ).flat();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(10 * declined.reduce((n, id) => n + capturedFor(id).length, 0));

    const after = new Map(await Promise.all(declined.map(async (id) => [id, await orderById(id)] as const)));
    const summary = (id: string) => {
      const o = after.get(id);
      return [o?.status, o?.refundedAmount, o?.paidAt instanceof Date, o?.paymentIntentId];
    };
    const total = after.get(kept)?.amountTotal as number;
    expect(total).toBeGreaterThan(700);
    expect(summary(kept)).toEqual(['paid', 0, true, paidBy.get(kept)]);
    expect(summary(partly)).toEqual(['partially_refunded', 700, true, paidBy.get(partly)]);
    expect(summary(fully)).toEqual(['refunded', total, true, paidBy.get(fully)]);
    // Each decline is a fact of its own, kept once though it arrived ten times and after the payment.
    await writer.flush();
    const failures = await countByOrder('payment_failed');
    for (const id of declined) expect(failures.get(id)?.n).toBe(1);
  });

  it('ClickHouse and the dashboard overview equal the orders table: each payment once, refunds once', async () => {
    await writer.flush();
    const paid = await countByOrder('payment_succeeded');
    const refunds = await countByOrder('refund');
    const rows = await database.db.query.orders.findMany({
      where: (o, { eq }) => eq(o.merchantId, DEMO_MERCHANT_ID),
    });
    // Every order this file placed, and no other: the stores are this file's own.
    expect(rows.map((o) => o.id).sort()).toEqual([...orderIds].sort());
    expect(rows.every((o) => o.paidAt instanceof Date)).toBe(true);
    for (const o of rows) expect(paid.get(o.id)).toEqual({ n: 1, amount: o.amountTotal });
    for (const o of rows) expect(refunds.get(o.id)?.amount ?? 0).toBe(o.refundedAmount);
    const gross = rows.reduce((s, o) => s + o.amountTotal, 0);
    const refunded = rows.reduce((s, o) => s + o.refundedAmount, 0);
    expect(refunded).toBeGreaterThan(0);

    // What the dashboard's first page shows (GET /api/analytics/overview runs queryOverview), read from
    // the rollup as it is by default and from the raw events: both are the orders table to the cent.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = { merchantId: DEMO_MERCHANT_ID, from: day(-1), to: day(1), tz: 'UTC' };
    for (const source of ['auto', 'events'] as const) {
      const { revenue } = await queryOverview(ch, range, { source });
      expect(
        revenue.byCurrency.map((r) => [r.currency, r.gross, r.refunds, r.net, r.orders]),
        source,
      ).toEqual([['USD', gross, refunded, gross - refunded, rows.length]]);
    }
  });
});
