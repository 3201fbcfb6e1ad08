import {
  createExperiment,
  DEMO_MERCHANT_ID,
  experimentVariants,
  type PitchlineDb,
  seedDemo,
  startExperiment,
  stopExperiment,
} from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingDb } from '../testing/counting-db';
import { createExperimentCache } from './cache';

let database: TestDatabase;
let db: PitchlineDb;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  db = database.db;
  await seedDemo(db);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

async function launchExperiment(key: string): Promise<string> {
  const created = await createExperiment(db, DEMO_MERCHANT_ID, null, {
    key,
    scope: { kind: 'launch' },
    primaryMetric: 'conversion',
    variants: [
      { key: 'a', name: 'A', template: 'A {{product}}', weight: 1, isControl: true },
      { key: 'b', name: 'B', template: 'B {{product}}', weight: 1 },
    ],
  });
  await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
  return created.id;
}

describe('createExperimentCache', () => {
  it('answers from memory within the TTL, then checks a fingerprint and reloads only on change', async () => {
    let now = 0;
    const counted = countingDb(db);
    const cache = createExperimentCache(counted.db, { ttlMs: 1000, now: () => now });

    expect(await cache.running(DEMO_MERCHANT_ID)).toEqual([]);
    // Nothing running: the fingerprint alone answers.
    expect(counted.queries()).toBe(1);

    const id = await launchExperiment('cache-one');
    now = 999;
    expect(await cache.running(DEMO_MERCHANT_ID)).toEqual([]);
    expect(counted.queries()).toBe(1);

    now = 1000;
    const [started] = await cache.running(DEMO_MERCHANT_ID);
    expect(started).toMatchObject({ id, key: 'cache-one', scope: 'launch' });
    expect(started?.variants.map((v) => [v.key, v.weight])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(counted.queries()).toBe(3);

    // Unchanged: one fingerprint query, the same objects.
    now = 2500;
    const again = await cache.running(DEMO_MERCHANT_ID);
    expect(again[0]).toBe(started);
    expect(counted.queries()).toBe(4);

    // A weight rewritten in place (the bandit job) moves no timestamp, and is still noticed.
    await db.update(experimentVariants).set({ weight: 9 }).where(eq(experimentVariants.key, 'b'));
    now = 4000;
    const reweighted = await cache.running(DEMO_MERCHANT_ID);
    expect(reweighted[0]?.variants.find((v) => v.key === 'b')?.weight).toBe(9);

    await stopExperiment(db, DEMO_MERCHANT_ID, null, id);
    now = 5500;
    expect(await cache.running(DEMO_MERCHANT_ID)).toEqual([]);
  });

  it('concurrent turns share one check', async () => {
    const counted = countingDb(db);
    const cache = createExperimentCache(counted.db, { ttlMs: 1000, now: () => 0 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.running(DEMO_MERCHANT_ID)));
    expect(new Set(answers).size).toBe(1);
    expect(counted.queries()).toBeLessThanOrEqual(2);
  });
});
