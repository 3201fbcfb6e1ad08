import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OffSessionChargeRequest } from './gateway';
import { StripeGateway } from './stripe-gateway';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe';

let fake: FakeStripe;
let gateway: StripeGateway;

beforeAll(async () => {
  fake = await startFakeStripe();
  gateway = new StripeGateway({ secretKey: 'sk_test_gateway', apiBase: fake.apiBase, maxNetworkRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const attribution = {
  orderId: '019ac5d0-0000-7000-8000-0000000000a1',
  merchantId: '019ac5d0-0000-7000-8000-0000000000b1',
  skillId: 'amzn1.ask.skill.test',
  sessionId: 'amzn1.echo-api.session.1',
  userId: 'hashed-user-1',
  variants: ['coffee-pitch:story', 'gift-pitch:control'],
};

function charge(orderId: string, paymentMethodId: string): OffSessionChargeRequest {
  return {
    orderId,
    amount: 5150,
    currency: 'USD',
    customerId: 'cus_test_1',
    paymentMethodId,
    attribution: { ...attribution, orderId },
  };
}

describe('StripeGateway (real SDK against the fake Stripe)', () => {
  it('creates an off-session, confirmed PaymentIntent keyed by the order id, with attribution metadata', async () => {
    const outcome = await gateway.chargeOffSession(charge('order-ok-1', 'pm_card_visa'));
    expect(outcome.status).toBe('succeeded');

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/payment_intents');
    expect(req?.idempotencyKey).toBe('order-ok-1');
    expect(req?.headers.authorization).toBe('Bearer sk_test_gateway');
    expect(req?.body).toMatchObject({
      amount: '5150',
      currency: 'usd',
      customer: 'cus_test_1',
      payment_method: 'pm_card_visa',
      off_session: 'true',
      confirm: 'true',
      metadata: {
        order_id: 'order-ok-1',
        merchant_id: attribution.merchantId,
        skill_id: attribution.skillId,
        session_id: attribution.sessionId,
        user_id: attribution.userId,
        variants: 'coffee-pitch:story,gift-pitch:control',
      },
    });
    if (outcome.status !== 'succeeded') throw new Error('unreachable');
    expect(fake.engine.paymentIntents.get(outcome.paymentIntentId)?.status).toBe('succeeded');
  });

  it('maps a 402 card_declined to a decline with its decline code', async () => {
    const outcome = await gateway.chargeOffSession(charge('order-declined-1', 'pm_card_chargeDeclined'));
    expect(outcome).toMatchObject({
      status: 'declined',
      code: 'card_declined',
      declineCode: 'generic_decline',
    });
    expect(fake.requests[0]?.status).toBe(402);
    if (outcome.status !== 'declined') throw new Error('unreachable');
    expect(outcome.paymentIntentId).toMatch(/^pi_/);
  });

  it('maps a 402 authentication_required to requires_action', async () => {
    const outcome = await gateway.chargeOffSession(charge('order-3ds-1', 'pm_card_authenticationRequired'));
    expect(outcome).toMatchObject({ status: 'requires_action', code: 'authentication_required' });
    expect(fake.requests[0]?.status).toBe(402);
  });

  it('a retried charge for the same order replays Stripe’s saved answer: one PaymentIntent', async () => {
    const first = await gateway.chargeOffSession(charge('order-retry-1', 'pm_card_visa'));
    const second = await gateway.chargeOffSession(charge('order-retry-1', 'pm_card_visa'));
    expect(second).toEqual(first);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual(['order-retry-1', 'order-retry-1']);
    const forOrder = [...fake.engine.paymentIntents.values()].filter(
      (pi) => (pi.metadata as Record<string, string>).order_id === 'order-retry-1',
    );
    expect(forOrder).toHaveLength(1);
  });

  it('the same key with other parameters is refused, as Stripe does', async () => {
    await gateway.chargeOffSession(charge('order-conflict-1', 'pm_card_visa'));
    await expect(
      gateway.chargeOffSession({ ...charge('order-conflict-1', 'pm_card_visa'), amount: 1 }),
    ).rejects.toThrow(/idempotent requests/);
  });

  it('creates a Checkout Session carrying the order on the session and its PaymentIntent', async () => {
    const link = await gateway.createCheckoutLink({
      orderId: 'order-link-1',
      currency: 'USD',
      customerId: 'cus_test_1',
      lineItems: [
        { name: 'Huila', quantity: 2, unitAmount: 1650 },
        { name: 'Mug', quantity: 1, unitAmount: 1850 },
      ],
      attribution: { ...attribution, orderId: 'order-link-1' },
      successUrl: 'https://shop.example/pay/success',
      cancelUrl: 'https://shop.example/pay/cancel',
    });
    expect(link.sessionId).toMatch(/^cs_test_/);
    expect(link.url).toContain(link.sessionId);
    const [req] = fake.requests;
    expect(req?.path).toBe('/v1/checkout/sessions');
    expect(req?.idempotencyKey).toBe('order-link-1:checkout');
    expect(req?.body).toMatchObject({
      mode: 'payment',
      client_reference_id: 'order-link-1',
      customer: 'cus_test_1',
      metadata: { order_id: 'order-link-1' },
      payment_intent_data: { metadata: { order_id: 'order-link-1' } },
      line_items: [
        {
          quantity: '2',
          price_data: { currency: 'usd', unit_amount: '1650', product_data: { name: 'Huila' } },
        },
        {
          quantity: '1',
          price_data: { currency: 'usd', unit_amount: '1850', product_data: { name: 'Mug' } },
        },
      ],
    });
    expect(fake.engine.checkoutSessions.get(link.sessionId)?.amount_total).toBe(5150);
  });

  it('an API outage is an unknown outcome, not a decline', async () => {
    const down = new StripeGateway({
      secretKey: 'sk_test_gateway',
      apiBase: { host: '127.0.0.1', port: 1, protocol: 'http' },
      maxNetworkRetries: 0,
      timeoutMs: 2000,
    });
    await expect(down.chargeOffSession(charge('order-down-1', 'pm_card_visa'))).rejects.toMatchObject({
      name: 'PaymentOutcomeUnknownError',
    });
  });
});
