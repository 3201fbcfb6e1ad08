import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_MERCHANT_ID, linkedCustomers, orders, setPaymentMode } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StripeGateway } from '../payments/stripe-gateway';
import { type FakeStripe, startFakeStripe } from '../payments/testing/fake-stripe';
import { createProgressiveResponder } from './progressive-response';
import { createHarness, eventsOf, type Harness, said, WEBHOOK_SECRET } from './testing/harness';

/*
 * A payment that Stripe is slow to answer, through the real skill app, the real Stripe SDK against the
 * local fake Stripe, and a local fake of Alexa's directive endpoint: the shopper hears "one moment"
 * through the Progressive Response API, and if Stripe is slower still, an answer before Alexa's
 * 8 seconds run out, with the order written and left for the webhook to settle.
 */

type Directive = { authorization: string | undefined; body: unknown; atMs: number };

/** Alexa's `POST /v1/directives`, answering 204 as Amazon does, and remembering what it was sent. */
async function startDirectiveEndpoint() {
  const received: Directive[] = [];
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/directives') {
        res.writeHead(404).end();
        return;
      }
      received.push({
        authorization: req.headers.authorization,
        body: JSON.parse(raw),
        atMs: Date.now() - started,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let fake: FakeStripe;
let alexa: Awaited<ReturnType<typeof startDirectiveEndpoint>>;

beforeAll(async () => {
  fake = await startFakeStripe();
  alexa = await startDirectiveEndpoint();
  h = await createHarness({
    payments: {
      gateway: new StripeGateway({
        secretKey: 'sk_test_slow',
        apiBase: fake.apiBase,
        maxNetworkRetries: 0,
        timeoutMs: 10_000,
      }),
      webhookSecret: WEBHOOK_SECRET,
    },
    progressive: createProgressiveResponder({ endpoints: 'any' }),
    // The production budget scaled down, so the test waits a fraction of a second, not seconds.
    turnTiming: { progressAfterMs: 150, giveUpAfterMs: 700 },
  });
  await setPaymentMode(h.database.db, DEMO_MERCHANT_ID, 'stripe');
}, 60_000);

afterEach(() => {
  fake.latencyMs = 0;
  alexa.received.length = 0;
  h.events.length = 0;
});

afterAll(async () => {
  await h?.close();
  await fake?.close();
  await alexa?.close();
});

async function buyWithStripeTaking(latencyMs: number, userId: string) {
  const convo = h.conversation({ userId, apiEndpoint: alexa.url, apiAccessToken: `token-for-${userId}` });
  await convo.launch();
  await convo.say('AddToCartIntent', { product: 'grinder', quantity: '1' });
  await convo.say('CheckoutIntent');
  fake.latencyMs = latencyMs;
  const started = performance.now();
  const yes = await convo.say('AMAZON.YesIntent');
  return { yes, tookMs: performance.now() - started };
}

describe('a slow payment', () => {
  it('a quick one says nothing while waiting; its confirmation card goes to the Alexa app though this device has no screen', async () => {
    const { yes } = await buyWithStripeTaking(0, 'amzn1.ask.account.QUICK');
    expect(said(yes)).toMatch(/is placed\. Your card was charged/);
    expect(yes.response.card).toMatchObject({ type: 'Simple', title: 'Order placed' });
    expect(alexa.received).toEqual([]);
    expect(eventsOf(h.events, 'progressive_response')).toEqual([]);
  });

  it('past the first budget, the shopper hears "one moment" through the directive API before the answer', async () => {
    const { yes } = await buyWithStripeTaking(400, 'amzn1.ask.account.SLOWISH');
    expect(said(yes)).toMatch(/is placed\. Your card was charged/);
    expect(alexa.received).toHaveLength(1);
    const [directive] = alexa.received;
    expect(directive?.authorization).toBe('Bearer token-for-amzn1.ask.account.SLOWISH');
    const [turn] = eventsOf(h.events, 'turn').filter((t) => t.intent === 'AMAZON.YesIntent');
    expect(directive?.body).toEqual({
      header: { requestId: turn?.request_id },
      directive: { type: 'VoicePlayer.Speak', speech: 'One moment while I place your order.' },
    });
    const [progressive] = eventsOf(h.events, 'progressive_response');
    expect(progressive).toMatchObject({ reason: 'sent', request_id: turn?.request_id });
    expect(progressive?.latency_ms).toBeGreaterThanOrEqual(140);
  });

  it('past the whole budget, the turn answers without the payment; the order is kept and Stripe still charged it once', async () => {
    const { yes, tookMs } = await buyWithStripeTaking(2_000, 'amzn1.ask.account.SLOW');
    expect(said(yes)).toMatch(/is placed, and your payment is still being processed/);
    expect(yes.response.shouldEndSession).toBe(true);
    expect(yes.response.card).toMatchObject({ title: 'Order placed, payment processing' });
    expect(tookMs).toBeLessThan(2_000);
    expect(eventsOf(h.events, 'progressive_response')).toHaveLength(1);
    const [confirmed] = eventsOf(h.events, 'order_confirmed');
    expect(confirmed).toBeDefined();
    const orderId = confirmed?.order_id ?? '';
    const [pending] = await h.database.db.select().from(orders).where(eq(orders.id, orderId));
    expect(pending?.status).toBe('pending');
    // Stripe's late answer still lands: the PaymentIntent is recorded on the order, charged exactly once.
    await expect
      .poll(
        async () => {
          const [row] = await h.database.db.select().from(orders).where(eq(orders.id, orderId));
          return row?.paymentIntentId;
        },
        { timeout: 5_000 },
      )
      .toMatch(/^pi_/);
    expect(
      fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === orderId),
    ).toHaveLength(1);
  });

  it('a declined card on a device without a screen still gets the payment link the shopper is told about, in the app card', async () => {
    const [customer] = await h.database.db.select().from(linkedCustomers);
    await h.database.db.update(linkedCustomers).set({ defaultPaymentMethodId: 'pm_card_chargeDeclined' });
    try {
      const { yes } = await buyWithStripeTaking(0, 'amzn1.ask.account.DECLINED');
      expect(said(yes)).toMatch(/I sent a payment link to the Alexa app/);
      expect(yes.response.card).toMatchObject({ type: 'Simple', title: 'Payment needed' });
      expect((yes.response.card as { content: string }).content).toMatch(
        /Finish the payment: http:\/\/127\.0\.0\.1:\d+\/c\/pay\//,
      );
    } finally {
      await h.database.db
        .update(linkedCustomers)
        .set({ defaultPaymentMethodId: customer?.defaultPaymentMethodId ?? null });
    }
  });

  it('in production the API token goes to Amazon’s endpoints only: another apiEndpoint is refused unsent', async () => {
    const responder = createProgressiveResponder({ endpoints: 'amazon' });
    const envelope = h.conversation({ apiEndpoint: alexa.url, apiAccessToken: 'secret' }).session.launch();
    expect(await responder.speak(envelope, 'One moment.')).toEqual({
      ok: false,
      detail: `apiEndpoint ${alexa.url} is not Amazon's`,
    });
    expect(alexa.received).toEqual([]);
  });
});
