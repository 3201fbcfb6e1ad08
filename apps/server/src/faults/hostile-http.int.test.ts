import { createHmac } from 'node:crypto';
import { signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { createClickHouse } from '@pitchline/analytics';
import { orderEvents } from '@pitchline/analytics/testing';
import { newId } from '@pitchline/core';
import {
  DEMO_ACCESS_TOKEN,
  DEMO_MERCHANT_ID,
  DEMO_SKILL_ID,
  orders,
  processedWebhookEvents,
} from '@pitchline/db';
import { describe, expect } from 'vitest';
import { faultFileBudget } from './budget';
import { type RawOutcome, rawRequest } from './raw-http';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  startServerProcess,
} from './server-process';
import { BROWSE, httpSender, playSession } from './shopper';

// Measured and budgeted in README.md beside this file.
const { beforeAll, it, afterAll } = faultFileBudget('hostile-http', 65);

/**
 * Hostile HTTP against the real server process: each bad request is refused with a clean answer (or
 * a closed connection) within a bounded time, while shoppers on other connections keep getting
 * answers. Node checks its header and request timeouts on an interval: the bounds below include it.
 *
 * The Stripe webhook is aimed at a real paid order with a correctly signed refund: the server runs with a
 * webhook secret the test knows (PAYMENTS=stripe; the demo merchant still pays in simulated mode, so no
 * request ever reaches Stripe). The same refund, sent properly for a second order, is the control that
 * shows a refund that got through would be seen.
 */
const WEBHOOK_SECRET = 'whsec_faults_hostile_http';
const ORDER_TOTAL = 12_900;
const target = { orderId: newId(), paymentIntentId: 'pi_hostile_target' };
const control = { orderId: newId(), paymentIntentId: 'pi_hostile_control' };

let stores: PreparedStores;
let server: ServerProcess;
let stopped = false;

beforeAll(async () => {
  stores = await prepareServerStores({
    setup: async (db) => {
      await db.insert(orders).values(
        [target, control].map((o) => ({
          id: o.orderId,
          merchantId: DEMO_MERCHANT_ID,
          skillId: DEMO_SKILL_ID,
          userId: 'hostile-http-user',
          sessionId: `hostile-http-session-${o.orderId}`,
          status: 'paid' as const,
          amountTotal: ORDER_TOTAL,
          currency: 'USD',
          paymentIntentId: o.paymentIntentId,
          paidAt: new Date(),
        })),
      );
    },
  });
  server = await startServerProcess(stores.dataDir, {
    ...stores.env,
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_faults_never_called',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
});

afterAll(async () => {
  // Only when a test failed before the last one stopped it: a short grace, then SIGKILL.
  if (server && !stopped) await server.stop(3_000);
  await stores?.dispose();
});

/** A charge.refunded event for one of the orders, as Stripe would send it (2,000 of 12,900 given back). */
function refundEvent(order: { orderId: string; paymentIntentId: string }): string {
  return JSON.stringify({
    id: `evt_${newId().replaceAll('-', '')}`,
    object: 'event',
    type: 'charge.refunded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `ch_${order.paymentIntentId}`,
        object: 'charge',
        amount: ORDER_TOTAL,
        amount_refunded: 2_000,
        currency: 'usd',
        metadata: { order_id: order.orderId },
        payment_intent: order.paymentIntentId,
        refunds: { data: [{ id: `re_${order.paymentIntentId}` }] },
      },
    },
  });
}

/** Stripe's scheme, by hand: v1 is HMAC-SHA256 over "timestamp.payload" with the endpoint's secret. */
function stripeSignature(payload: string): string {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${payload}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** Webhook deliveries refused below (their event ids): none may be marked processed. */
const refusedEventIds: string[] = [];

function signedLaunch() {
  const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken: DEMO_ACCESS_TOKEN });
  const body = JSON.stringify(session.launch());
  return { body, headers: signAlexaRequest(body, stores.signer) };
}

function head(path: string, headers: Record<string, string | number>): string {
  // Connection: close, so the time measured is the server's answer, not a keep-alive idle timeout.
  const lines = Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

function errorOf(outcome: RawOutcome): string | undefined {
  const body = outcome.response.split('\r\n\r\n').slice(1).join('\r\n\r\n');
  return /"error":"([a-z_]+)"/.exec(body)?.[1];
}

/**
 * Shoppers served meanwhile: every session answered in full, each answer quickly. `work` is handed the
 * number of sessions served so far, so it can keep up the pressure until shoppers have come through it.
 */
async function shoppersDuring<T>(
  work: (served: () => number) => Promise<T>,
): Promise<{ result: T; slowestMs: number; sessions: number }> {
  const send = httpSender(server.url, stores.signer);
  let slowestMs = 0;
  let sessions = 0;
  let running = true;
  const timed: typeof send = async (envelope) => {
    const t = Date.now();
    const res = await send(envelope);
    slowestMs = Math.max(slowestMs, Date.now() - t);
    return res;
  };
  const shopper = async () => {
    while (running) {
      const log = await playSession(timed, BROWSE);
      expect(log.failed).toEqual([]);
      sessions++;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const shoppers = [shopper(), shopper()];
  const result = await work(() => sessions).finally(() => {
    running = false;
  });
  await Promise.all(shoppers);
  return { result, slowestMs, sessions };
}

async function postWebhook(body: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', body, headers });
  return [res.status, await res.json()] as const;
}

describe('hostile HTTP against the server process', () => {
  it('a 1 MB body is refused at once, declared or chunked, on /alexa and on the Stripe webhook; shoppers are served meanwhile', async () => {
    const { headers } = signedLaunch();
    const mb = Buffer.alloc(1024 * 1024, 'a');
    const chunked = Buffer.concat([
      Buffer.from(`${mb.length.toString(16)}\r\n`),
      mb,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const round = () =>
      Promise.all([
        rawRequest(server.url, {
          head: head('/alexa', {
            'content-type': 'application/json',
            'content-length': mb.length,
            ...headers,
          }),
          body: mb,
          giveUpMs: 15_000,
        }),
        rawRequest(server.url, {
          head: head('/alexa', {
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
            ...headers,
          }),
          body: chunked,
          giveUpMs: 15_000,
        }),
        rawRequest(server.url, {
          head: head('/webhooks/stripe', {
            'content-type': 'application/json',
            'content-length': mb.length,
            'stripe-signature': 't=1,v1=00',
          }),
          body: mb,
          giveUpMs: 15_000,
        }),
      ]);
    // Megabyte after megabyte, until three shopper sessions were answered through them (a cap, so a
    // server that stopped serving fails on the session count instead of looping).
    const { result, slowestMs, sessions } = await shoppersDuring(async (served) => {
      const rounds: RawOutcome[][] = [];
      while (served() < 3 && rounds.length < 60) rounds.push(await round());
      return rounds;
    });
    for (const [declared, streamed, webhook] of result as [RawOutcome, RawOutcome, RawOutcome][]) {
      expect([declared.status, errorOf(declared)]).toEqual([400, 'body_too_large']);
      expect([streamed.status, errorOf(streamed)]).toEqual([400, 'body_too_large']);
      expect([webhook.status, errorOf(webhook)]).toEqual([413, 'payload_too_large']);
      for (const o of [declared, streamed, webhook]) expect(o.elapsedMs).toBeLessThan(5_000);
    }
    console.log(
      `1 MB bodies: ${result.length} rounds of 3 refused while ${sessions} shopper sessions were served, slowest answer ${slowestMs} ms`,
    );
    expect(sessions).toBeGreaterThanOrEqual(3);
    expect(slowestMs).toBeLessThan(5_000);
  });

  it('truncated JSON is refused: signed over the cut bytes, or cut short of its Content-Length', async () => {
    const { body } = signedLaunch();
    const cut = body.slice(0, Math.floor(body.length / 2));
    const res = await fetch(`${server.url}/alexa`, {
      method: 'POST',
      body: cut,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(cut, stores.signer) },
    });
    expect([res.status, await res.json()]).toEqual([400, { error: 'invalid_json' }]);

    const { headers } = signedLaunch();
    const short = await rawRequest(server.url, {
      head: head('/alexa', { 'content-type': 'application/json', 'content-length': body.length, ...headers }),
      body: Buffer.from(cut),
      endEarly: true,
      giveUpMs: 60_000,
    });
    // The client stopped sending: the server gives up on the body and frees the connection.
    expect(short.closedByServer).toBe(true);
    expect(short.elapsedMs).toBeLessThan(20_000);
    if (short.status !== null) expect(short.status).toBeGreaterThanOrEqual(400);
  });

  it('a wrong content type is refused, even on a correctly signed request', async () => {
    const statuses: [string, number, unknown][] = [];
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const { body, headers } = signedLaunch();
      const res = await fetch(`${server.url}/alexa`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, ...headers },
      });
      statuses.push([type, res.status, await res.json()]);
    }
    for (const [, status, answer] of statuses) {
      expect(status).toBe(415);
      expect(answer).toEqual({ error: 'unsupported_media_type' });
    }
  });

  it('on the Stripe webhook, truncated JSON gets a 400: signed over the cut bytes, cut after signing, or cut short of its length', async () => {
    const body = refundEvent(target);
    refusedEventIds.push(JSON.parse(body).id);
    const cut = body.slice(0, Math.floor(body.length / 2));
    const json = { 'content-type': 'application/json' };
    expect(await postWebhook(cut, { ...json, 'stripe-signature': stripeSignature(cut) })).toEqual([
      400,
      { error: 'malformed_payload' },
    ]);
    expect(await postWebhook(cut, { ...json, 'stripe-signature': stripeSignature(body) })).toEqual([
      400,
      { error: 'invalid_signature' },
    ]);
    const short = await rawRequest(server.url, {
      head: head('/webhooks/stripe', {
        ...json,
        'content-length': body.length,
        'stripe-signature': stripeSignature(body),
      }),
      body: Buffer.from(cut),
      endEarly: true,
      giveUpMs: 60_000,
    });
    // The client stopped sending: the server gives up on the body and frees the connection.
    expect(short.closedByServer).toBe(true);
    expect(short.elapsedMs).toBeLessThan(20_000);
    if (short.status !== null) expect(short.status).toBeGreaterThanOrEqual(400);
  });

  it('on the Stripe webhook, a wrong content type gets a 415, even correctly signed', async () => {
    const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    const answers: unknown[] = [];
    for (const type of types) {
      const body = refundEvent(target);
      refusedEventIds.push(JSON.parse(body).id);
      answers.push([
        type,
        ...(await postWebhook(body, { 'content-type': type, 'stripe-signature': stripeSignature(body) })),
      ]);
    }
    expect(answers).toEqual(types.map((type) => [type, 415, { error: 'unsupported_media_type' }]));
  });

  it('a body sent one byte a second, or headers trickled, is cut off; shoppers are served meanwhile', async () => {
    const { body, headers } = signedLaunch();
    const slow = Promise.all([
      rawRequest(server.url, {
        head: head('/alexa', {
          'content-type': 'application/json',
          'content-length': body.length,
          ...headers,
        }),
        body: Buffer.from(body),
        byteDelayMs: 1000,
        giveUpMs: 60_000,
      }),
      rawRequest(server.url, {
        head: head('/alexa', { 'content-type': 'application/json', 'content-length': 2 }),
        headDelayMs: 1000,
        giveUpMs: 60_000,
      }),
    ]);
    const { result, slowestMs, sessions } = await shoppersDuring(() => slow);
    const [slowBody, slowHead] = result;
    for (const o of [slowBody, slowHead]) {
      expect(o.closedByServer).toBe(true);
      expect(o.elapsedMs).toBeLessThan(25_000);
      if (o.status !== null) expect(o.status).toBe(408);
    }
    expect(sessions).toBeGreaterThan(3);
    expect(slowestMs).toBeLessThan(5_000);
  });

  it('nothing a refused webhook carried was recorded, while the control refund sent properly was', async () => {
    const body = refundEvent(control);
    const controlEventId = JSON.parse(body).id as string;
    const [status, answer] = await postWebhook(body, {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': stripeSignature(body),
    });
    expect([status, (answer as { outcome?: string }).outcome]).toEqual([200, 'processed']);
    // SIGTERM flushes the event log to ClickHouse; the embedded stores can then be read from here.
    expect(await server.stop()).toBe(0);
    stopped = true;

    const [rows, processed] = await stores.withDatabase(async (db) => [
      await db.query.orders.findMany({
        where: (o, { inArray }) => inArray(o.id, [target.orderId, control.orderId]),
      }),
      await db.select().from(processedWebhookEvents),
    ]);
    const state = new Map(rows.map((o) => [o.id, [o.status, o.refundedAmount]]));
    expect(state.get(target.orderId)).toEqual(['paid', 0]);
    expect(state.get(control.orderId)).toEqual(['partially_refunded', 2_000]);
    expect(refusedEventIds.length).toBeGreaterThanOrEqual(4);
    expect(processed.map((p) => p.id)).toEqual([controlEventId]);

    const ch = createClickHouse({ database: 'pitchline', dataDir: stores.dataDir });
    try {
      // One row per stored order event: the control's refund, once, and nothing else.
      const money = await orderEvents(ch);
      expect(money.map((r) => [r.orderId, r.type, r.amount])).toEqual([[control.orderId, 'refund', 2_000]]);
    } finally {
      await ch.close();
    }
  });
});
