import { DEMO_MERCHANT_ID, DEMO_SKILL_ID, products, seedDemo } from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingDb } from '../testing/counting-db';
import { createCatalogCache } from './cache';
import { createSkillDirectory } from './skill-directory';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await seedDemo(database.db);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

describe('catalog cache', () => {
  it('serves from memory within the check interval, then hears an edit after it', async () => {
    let clock = 1_000_000;
    const { db, queries } = countingDb(database.db);
    const cache = createCatalogCache(db, { now: () => clock, checkIntervalMs: 2_000 });
    const first = await cache.get(DEMO_MERCHANT_ID);
    const afterLoad = queries();
    expect(first.products.length).toBeGreaterThan(5);

    clock += 1_000;
    expect(await cache.get(DEMO_MERCHANT_ID)).toBe(first);
    expect(queries()).toBe(afterLoad);

    const [product] = first.products;
    await database.db
      .update(products)
      .set({ name: 'Renamed Blend', updatedAt: new Date(Date.now() + 60_000) })
      .where(eq(products.id, product?.id as string));
    clock += 1_500;
    const reloaded = await cache.get(DEMO_MERCHANT_ID);
    expect(reloaded).not.toBe(first);
    expect(reloaded.products.map((p) => p.name)).toContain('Renamed Blend');

    clock += 2_500;
    expect(await cache.get(DEMO_MERCHANT_ID)).toBe(reloaded);
  });

  it('lets concurrent turns of one merchant share one version check', async () => {
    let clock = 0;
    const { db, queries } = countingDb(database.db);
    const cache = createCatalogCache(db, { now: () => clock, checkIntervalMs: 2_000 });
    await cache.get(DEMO_MERCHANT_ID);
    clock += 5_000;
    const before = queries();
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get(DEMO_MERCHANT_ID)));
    expect(new Set(results).size).toBe(1);
    expect(queries() - before).toBe(1);
  });
});

describe('skill directory', () => {
  it('remembers owners and strangers for its ttl, and asks again after it', async () => {
    let clock = 0;
    const { db, queries } = countingDb(database.db);
    const directory = createSkillDirectory(db, { now: () => clock, ttlMs: 30_000 });
    // The payment mode rides along, so checkout reads it from here rather than asking again.
    expect(await directory.resolve(DEMO_SKILL_ID)).toEqual({
      merchantId: DEMO_MERCHANT_ID,
      paymentMode: 'simulated',
    });
    expect(await directory.resolve('amzn1.ask.skill.someone-else')).toBeNull();
    const asked = queries();
    for (let i = 0; i < 50; i++) {
      await directory.resolve(DEMO_SKILL_ID);
      await directory.resolve('amzn1.ask.skill.someone-else');
    }
    expect(queries()).toBe(asked);
    clock += 31_000;
    await directory.resolve(DEMO_SKILL_ID);
    expect(queries()).toBe(asked + 1);
  });
});
