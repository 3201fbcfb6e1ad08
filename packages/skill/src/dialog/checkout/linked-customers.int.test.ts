import { newId } from '@pitchline/core';
import {
  DEMO_ACCESS_TOKEN,
  DEMO_MERCHANT_ID,
  DEMO_STRIPE_CUSTOMER_ID,
  hashAccessToken,
  linkedCustomers,
  merchants,
  seedDemo,
} from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLinkedCustomer } from '../../payments/linked-customer';
import { countingDb } from '../../testing/counting-db';
import { createLinkedCustomerCache } from './linked-customers';

let database: TestDatabase;
const OTHER_MERCHANT_ID = newId();
beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await seedDemo(database.db);
  await database.db.insert(merchants).values({ id: OTHER_MERCHANT_ID, name: 'Other Shop', currency: 'USD' });
}, 60_000);
afterAll(async () => {
  await database?.close();
});

describe('linked-customer cache for the checkout read-back', () => {
  it('answers a linked shopper from memory within the TTL, then asks again', async () => {
    let clock = 0;
    const { db, queries } = countingDb(database.db);
    const cache = createLinkedCustomerCache(db, { now: () => clock, ttlMs: 30_000 });
    const first = await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN);
    expect(first?.stripeCustomerId).toBe(DEMO_STRIPE_CUSTOMER_ID);
    expect(queries()).toBe(1);
    clock += 29_000;
    for (let i = 0; i < 20; i++)
      expect(await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN)).toBe(first);
    expect(queries()).toBe(1);
    clock += 2_000;
    expect((await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN))?.id).toBe(first?.id);
    expect(queries()).toBe(2);
  });

  it('never serves one merchant the customer linked at another (tenant in the key)', async () => {
    const cache = createLinkedCustomerCache(database.db);
    expect(await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN)).toBeDefined();
    expect(await cache.forReadBack(OTHER_MERCHANT_ID, DEMO_ACCESS_TOKEN)).toBeUndefined();
  });

  it('does not remember "not linked": a shopper who links mid-session is heard on the next checkout', async () => {
    const token = `fresh-token-${newId()}`;
    const { db, queries } = countingDb(database.db);
    const cache = createLinkedCustomerCache(db, { now: () => 0 });
    expect(await cache.forReadBack(DEMO_MERCHANT_ID, token)).toBeUndefined();
    await database.db.insert(linkedCustomers).values({
      id: newId(),
      merchantId: DEMO_MERCHANT_ID,
      accessTokenHash: hashAccessToken(token),
      stripeCustomerId: 'cus_fresh',
    });
    expect((await cache.forReadBack(DEMO_MERCHANT_ID, token))?.stripeCustomerId).toBe('cus_fresh');
    expect(queries()).toBe(2);
    expect(await cache.forReadBack(DEMO_MERCHANT_ID, undefined)).toBeUndefined();
    expect(queries()).toBe(2);
  });

  it('may read back for a just-revoked link, while the charge path (the database) refuses it', async () => {
    const token = `revoked-token-${newId()}`;
    await database.db.insert(linkedCustomers).values({
      id: newId(),
      merchantId: DEMO_MERCHANT_ID,
      accessTokenHash: hashAccessToken(token),
      stripeCustomerId: 'cus_revoked',
    });
    const cache = createLinkedCustomerCache(database.db, { now: () => 0 });
    expect(await cache.forReadBack(DEMO_MERCHANT_ID, token)).toBeDefined();
    await database.db
      .delete(linkedCustomers)
      .where(eq(linkedCustomers.accessTokenHash, hashAccessToken(token)));
    expect(await cache.forReadBack(DEMO_MERCHANT_ID, token)).toBeDefined();
    expect(await resolveLinkedCustomer(database.db, DEMO_MERCHANT_ID, token)).toBeUndefined();
  });

  it('stays bounded, dropping the oldest entry', async () => {
    const { db, queries } = countingDb(database.db);
    const cache = createLinkedCustomerCache(db, { now: () => 0, maxEntries: 1 });
    const token = `second-token-${newId()}`;
    await database.db.insert(linkedCustomers).values({
      id: newId(),
      merchantId: DEMO_MERCHANT_ID,
      accessTokenHash: hashAccessToken(token),
      stripeCustomerId: 'cus_second',
    });
    await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN);
    await cache.forReadBack(DEMO_MERCHANT_ID, token);
    await cache.forReadBack(DEMO_MERCHANT_ID, token);
    expect(queries()).toBe(2);
    await cache.forReadBack(DEMO_MERCHANT_ID, DEMO_ACCESS_TOKEN);
    expect(queries()).toBe(3);
  });
});
