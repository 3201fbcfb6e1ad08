import { hashUserId } from '@pitchline/core';
import { addSkill, DEMO_MERCHANT_ID, DEMO_SKILL_ID, orders, setPaymentMode } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  eventsOf,
  type Harness,
  loopbackSimulatedGateway,
  said,
  USER_ID_HASH_KEY,
  WEBHOOK_SECRET,
} from '../dialog/testing/harness';
import type { SimulatedGateway } from './simulated-gateway';
import { StripeGateway } from './stripe-gateway';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe';

/*
 * The merchant's payment mode (set in the dashboard) decides how its orders are paid, whatever the
 * server runs: on a Stripe server a merchant in simulated mode is served by the simulation and Stripe
 * never hears of its orders; a merchant in stripe mode is charged through Stripe; and a merchant in
 * stripe mode on a server without Stripe is refused rather than "paid" by the simulation.
 */

const SECOND_SKILL = 'amzn1.ask.skill.2a2a2a2a-0000-4000-8000-000000000002';

/** Launch, add a grinder, check out, say yes: what the shopper heard last, and their order. */
async function buy(h: Harness, userId: string, applicationId = DEMO_SKILL_ID) {
  const convo = h.conversation({ userId, applicationId });
  await convo.launch();
  await convo.say('AddToCartIntent', { product: 'grinder', quantity: '1' });
  await convo.say('CheckoutIntent');
  const yes = await convo.say('AMAZON.YesIntent');
  const found = await h.database.db
    .select()
    .from(orders)
    .where(eq(orders.userId, hashUserId(userId, USER_ID_HASH_KEY)));
  return { heard: said(yes), order: found[0], orderCount: found.length, sessionId: convo.session.sessionId };
}

describe('on a server with Stripe', () => {
  let h: Harness;
  let fake: FakeStripe;
  let simulated: SimulatedGateway;
  const paymentIntentCalls = () => fake.requests.filter((r) => r.path === '/v1/payment_intents');

  beforeAll(async () => {
    fake = await startFakeStripe();
    // h.app is read at delivery time, when the harness exists.
    simulated = loopbackSimulatedGateway(() => h.app);
    h = await createHarness({
      payments: {
        gateway: new StripeGateway({
          secretKey: 'sk_test_modes',
          apiBase: fake.apiBase,
          maxNetworkRetries: 0,
        }),
        simulatedGateway: simulated,
        webhookSecret: WEBHOOK_SECRET,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await simulated?.idle();
    await h?.close();
    await fake?.close();
  });

  it('a merchant in simulated mode is paid through the simulation: Stripe is never called', async () => {
    const { heard, order } = await buy(h, 'amzn1.ask.account.SIMULATED-SHOPPER');
    expect(heard).toContain('is placed');
    await simulated.idle();
    expect(order?.paymentIntentId).toMatch(/^pi_/);
    const [settled] = await h.database.db
      .select()
      .from(orders)
      .where(eq(orders.id, order?.id ?? ''));
    // The simulation's signed webhook went through the one webhook endpoint and settled the order.
    expect(settled?.status).toBe('paid');
    expect(fake.requests).toEqual([]);
  });

  it('once the merchant switches to stripe, its orders are charged through Stripe', async () => {
    await setPaymentMode(h.database.db, DEMO_MERCHANT_ID, 'stripe');
    // A skill id the skill directory has not cached yet reads the new mode at once; a cached one reads
    // it within the directory's TTL (30 s), which the dashboard tells the owner.
    await addSkill(h.database.db, DEMO_MERCHANT_ID, { id: SECOND_SKILL, name: 'Second' });
    const { heard, order } = await buy(h, 'amzn1.ask.account.STRIPE-SHOPPER', SECOND_SKILL);
    expect(heard).toContain('is placed');
    const calls = paymentIntentCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.idempotencyKey).toBe(order?.id);
    expect(calls[0]?.body).toMatchObject({
      metadata: { merchant_id: DEMO_MERCHANT_ID, skill_id: SECOND_SKILL, order_id: order?.id },
    });
    expect(calls[0]?.status).toBe(200);
    expect(order?.paymentIntentId).toMatch(/^pi_/);
  });
});

describe('on a server without Stripe', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  }, 60_000);
  afterAll(async () => h?.close());

  it('a merchant in stripe mode cannot check out: no order, nothing "paid" by the simulation', async () => {
    // The dashboard refuses this switch on such a server; here the server was reconfigured since.
    await setPaymentMode(h.database.db, DEMO_MERCHANT_ID, 'stripe');
    const before = h.events.length;
    const { heard, orderCount, sessionId } = await buy(h, 'amzn1.ask.account.STRANDED-SHOPPER');
    expect(heard).toMatch(/something went wrong/i);
    expect(orderCount).toBe(0);
    await h.gateway.idle();
    const mine = h.events.slice(before).filter((e) => e.session_id === sessionId);
    expect(eventsOf(mine, 'order_confirmed')).toEqual([]);
    expect(eventsOf(mine, 'payment_succeeded')).toEqual([]);
    expect(eventsOf(mine, 'turn').at(-1)?.error).toMatch(/^PaymentModeUnavailableError: .*no Stripe keys/);
  });
});
