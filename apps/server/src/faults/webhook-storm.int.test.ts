import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventWriter } from '@pitchline/analytics';
import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { DEMO_MERCHANT_ID, seedDemo } from '@pitchline/db';
import { openTestDatabase, postgresUnavailableReason, type TestDatabase } from '@pitchline/db/testing';
import { createSkillApp } from '@pitchline/skill';
import { loadOrCreateDevSigner, signAlexaRequest } from '@pitchline/skill/dev-ca';
import { SimulatedGateway } from '@pitchline/skill/payments';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUY, playSession, type Send } from './shopper';

/**
 * Webhook storms through the real skill app: shoppers buy by voice (signed requests), the simulated
 * Stripe signs each webhook as Stripe would, and the test delivers them itself — every event ten times
 * at once, and a payment's events in reverse order. Orders (PostgreSQL, where races are real) must end in
 * the right state and ClickHouse must count each payment once.
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
}, 60_000);

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

async function countByOrder(type: string): Promise<Map<string, { n: number; amount: number }>> {
  const rows = await (
    await ch.client.query({
      query: `SELECT toString(order_id) AS id, count() AS n, sum(amount) AS amount FROM ${ch.database}.events
              WHERE type = {type:String} GROUP BY id`,
      query_params: { type },
      format: 'JSONEachRow',
    })
  ).json<{ id: string; n: string; amount: string }>();
  return new Map(rows.map((r) => [r.id, { n: Number(r.n), amount: Number(r.amount) }]));
}

describe('webhook storms', () => {
  let orderIds: string[] = [];

  beforeAll(async () => {
    const sessions = await Promise.all(Array.from({ length: 3 }, () => playSession(send, BUY)));
    for (const s of sessions) expect(s.failed).toEqual([]);
    await gateway.idle();
    const sessionIds = sessions.map((s) => s.sessionId);
    const placed = await database.db.query.orders.findMany({
      where: (o, { inArray }) => inArray(o.sessionId, sessionIds),
    });
    orderIds = placed.map((o) => o.id);
    expect(orderIds).toHaveLength(3);
    // Nothing delivered yet: the orders wait for their webhooks.
    expect(placed.every((o) => o.status !== 'paid')).toBe(true);
  }, 60_000);

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

  it('ClickHouse revenue equals the orders table: each payment once, refunds once', async () => {
    await writer.flush();
    const paid = await countByOrder('payment_succeeded');
    const refunds = await countByOrder('refund');
    const rows = await database.db.query.orders.findMany({
      where: (o, { inArray }) => inArray(o.id, orderIds),
    });
    for (const o of rows) expect(paid.get(o.id)).toEqual({ n: 1, amount: o.amountTotal });
    const gross = [...paid.values()].reduce((s, r) => s + r.amount, 0);
    const refunded = [...refunds.values()].reduce((s, r) => s + r.amount, 0);
    expect(gross).toBe(rows.reduce((s, o) => s + o.amountTotal, 0));
    expect(refunded).toBe(rows.reduce((s, o) => s + o.refundedAmount, 0));
    expect(rows.every((o) => o.merchantId === DEMO_MERCHANT_ID)).toBe(true);
  });
});
