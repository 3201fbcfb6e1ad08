import { newId, type PitchlineEvent, parseEvent } from '@pitchline/core';
import { type LinkedCustomer, merchants, products, skills } from '@pitchline/db';
import { type Backend, openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import Stripe from 'stripe';
import { saveLinkedCustomer } from '../linked-customer';

/** A throwaway migrated PGlite with one merchant, its skill, three products and linked shoppers. */
export interface PaymentsFixture {
  database: TestDatabase;
  merchantId: string;
  skillId: string;
  productIds: { coffee: string; mug: string; grinder: string };
  /** One linked shopper per Stripe test payment method. */
  customer(paymentMethod: string): Promise<LinkedCustomer>;
}

export async function openPaymentsFixture(
  backend: Backend = 'pglite',
  postgresUrl?: string,
): Promise<PaymentsFixture> {
  const database = await openTestDatabase(backend, postgresUrl ? { postgresUrl } : {});
  const db = database.db;
  const merchantId = newId();
  const skillId = `amzn1.ask.skill.${newId()}`;
  await db.insert(merchants).values({ id: merchantId, name: 'Test Roasters' });
  await db.insert(skills).values({ id: skillId, merchantId, name: 'Test Roasters' });
  const productIds = { coffee: newId(), mug: newId(), grinder: newId() };
  await db.insert(products).values([
    {
      id: productIds.coffee,
      merchantId,
      name: 'Huila',
      category: 'Coffee',
      priceAmount: 1650,
      currency: 'USD',
      defaultPitch: 'x',
    },
    {
      id: productIds.mug,
      merchantId,
      name: 'Mug',
      category: 'Gifts',
      priceAmount: 2200,
      currency: 'USD',
      defaultPitch: 'x',
    },
    {
      id: productIds.grinder,
      merchantId,
      name: 'Grinder',
      category: 'Gear',
      priceAmount: 12900,
      currency: 'USD',
      defaultPitch: 'x',
    },
  ]);
  let n = 0;
  return {
    database,
    merchantId,
    skillId,
    productIds,
    customer: (paymentMethod) =>
      saveLinkedCustomer(db, {
        merchantId,
        accessToken: `token-${paymentMethod}-${++n}-${newId()}`,
        stripeCustomerId: `cus_test_${n}`,
        defaultPaymentMethodId: paymentMethod,
        email: `shopper${n}@example.com`,
      }),
  };
}

/**
 * Stands in for the EventWriter's `record`: keeps what was recorded, and validates each event
 * against the core contract as the writer does, so a malformed event fails the test.
 */
export function eventSink(): { events: PitchlineEvent[]; recordEvent: (e: PitchlineEvent) => Promise<void> } {
  const events: PitchlineEvent[] = [];
  return {
    events,
    recordEvent: async (event) => {
      events.push(parseEvent(event));
    },
  };
}

/** Signs a payload as Stripe does, with the SDK's own helper; `timestamp` in seconds. */
export function stripeSignature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

/** Posts a Stripe event to a webhook app the way Stripe does: raw JSON body, signed. */
export function postWebhook(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  event: unknown,
  secret: string,
  options: { timestamp?: number; body?: string; signature?: string } = {},
): Promise<Response> {
  const body = options.body ?? JSON.stringify(event);
  const signature = options.signature ?? stripeSignature(body, secret, options.timestamp);
  return Promise.resolve(
    app.request('/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    }),
  );
}
