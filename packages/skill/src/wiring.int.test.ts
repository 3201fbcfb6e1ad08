import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { hashUserId, silentLogger } from '@pitchline/core';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID, orders, seedDemo } from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRejectionTally, createSkillFromConfig, type SkillConfig } from './wiring';

/** A Stripe server's skill config, as a deployable's env module hands it over. */
function stripeConfig(overrides: Partial<SkillConfig>): SkillConfig {
  return {
    NODE_ENV: 'development',
    dataDir,
    ALEXA_VERIFY: true,
    alexaDevCa: false,
    USER_ID_HASH_KEY: HASH_KEY,
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_wiring_not_a_real_key',
    STRIPE_WEBHOOK_SECRET: 'whsec_wiring_test',
    ...overrides,
  };
}

/*
 * A server with PAYMENTS=stripe still serves merchants in simulated mode through the simulation: the
 * simulated gateway it builds beside Stripe signs its webhooks with the endpoint's secret, so the one
 * webhook endpoint settles those orders. (Were the order routed to Stripe, the fake key would fail the
 * charge and the order would never be paid.)
 */

const HASH_KEY = 'wiring-test-user-id-hash-key-0123456789';
let database: TestDatabase;
let dataDir: string;
let app: Hono;

/** A registry and the refused-request tally registered in it, as a deployable makes them. */
function withRegistry() {
  const registry = new Registry();
  return {
    registry,
    rejections: createRejectionTally({ recordEvent: async () => {}, logger: silentLogger, registry }),
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-wiring-'));
  database = await openTestDatabase('pglite');
  await seedDemo(database.db);
  const config = stripeConfig({ ALEXA_VERIFY: false });
  app = await createSkillFromConfig({
    config,
    db: database.db,
    recordEvent: async () => {},
    logger: silentLogger,
    ...withRegistry(),
    publicUrl: 'http://127.0.0.1:3999',
  });
}, 60_000);
afterAll(async () => {
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('skill wiring on a Stripe server', () => {
  it('a merchant in simulated mode checks out through the simulation and its order is settled', async () => {
    const userId = 'amzn1.ask.account.WIRING-SHOPPER';
    const session = createEnvelopeSession({
      applicationId: DEMO_SKILL_ID,
      accessToken: DEMO_ACCESS_TOKEN,
      userId,
    });
    const send = async (envelope: RequestEnvelope) => {
      const res = await app.request('/alexa', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as ResponseEnvelope;
      session.setAttributes(body.sessionAttributes);
      return body;
    };
    await send(session.launch());
    await send(session.intent('AddToCartIntent', { product: 'grinder', quantity: '1' }));
    await send(session.intent('CheckoutIntent'));
    const yes = await send(session.intent('AMAZON.YesIntent'));
    const out = yes.response.outputSpeech;
    expect(out?.type === 'SSML' ? out.ssml : '').toContain('is placed');

    const hashed = hashUserId(userId, HASH_KEY);
    let status: string | undefined;
    for (let i = 0; i < 50 && status !== 'paid'; i++) {
      const [order] = await database.db.select().from(orders).where(eq(orders.userId, hashed));
      status = order?.status;
      if (status !== 'paid') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('paid');
  });
});

describe('skill wiring on a production Stripe server', () => {
  it('builds no simulation beside Stripe: /pay/simulated does not exist', async () => {
    const production = await createSkillFromConfig({
      config: stripeConfig({ NODE_ENV: 'production' }),
      db: database.db,
      recordEvent: async () => {},
      logger: silentLogger,
      ...withRegistry(),
      publicUrl: 'http://127.0.0.1:3999',
    });
    const missing = await production.request('/pay/simulated/anything');
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('payment link');
    // The development server of the first describe serves the simulated payment page (unknown link here).
    expect(await (await app.request('/pay/simulated/anything')).text()).toContain(
      'This payment link does not exist',
    );
  });
});
