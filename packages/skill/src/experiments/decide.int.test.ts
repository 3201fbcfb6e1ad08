import { ASSIGNMENT_BUCKETS, allocationCounts } from '@pitchline/core';
import {
  createExperiment,
  DEMO_MERCHANT_ID,
  type PitchlineDb,
  seedDemo,
  setVariantWeights,
  startExperiment,
} from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingDb } from '../testing/counting-db';
import { createExperimentCache } from './cache';
import { decidePitch } from './decide';
import type { LiveExperiment, PitchSlot } from './types';

/*
 * The skill's assignment reads the allocations the store keeps (packages/db experiments/allocation.ts)
 * through the running-experiments cache, with no query of its own: a bandit's weight change, or a
 * new experiment in the layer, moves only the users it must.
 */

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

const LAUNCH: PitchSlot = {
  kind: 'launch',
  productId: '01936f4e-0000-7000-8000-0000000000aa',
  category: 'Coffee',
};
const users = Array.from({ length: 30_000 }, (_, i) => `amzn1.ask.account.decide-${i}`);

async function startLaunch(key: string, weights: number[]): Promise<string> {
  const created = await createExperiment(db, DEMO_MERCHANT_ID, null, {
    key,
    scope: { kind: 'launch' },
    primaryMetric: 'conversion',
    mode: 'bandit',
    banditFloor: 0.1,
    variants: weights.map((weight, i) => ({
      key: `v${i}`,
      name: `V${i}`,
      template: `${key} ${i} {{product}}`,
      weight,
      isControl: i === 0,
    })),
  });
  await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
  return created.id;
}

/** Experiment and variant heard by each user, and the probability logged with it. */
function decisions(running: readonly LiveExperiment[]) {
  return users.map((user) => {
    const d = decidePitch(running, LAUNCH, user, []);
    if (d.kind !== 'variant') throw new Error(`expected a variant, got ${d.kind}`);
    return {
      heard: `${d.experiment.key}:${d.variant.key}`,
      experiment: d.experiment,
      variant: d.variant.key,
      p: d.probability,
    };
  });
}

describe('assignment from stored allocations', () => {
  it('moves only the users a bandit rebalance or a new experiment in the layer must move, with no query per turn', async () => {
    let clock = 0;
    const counted = countingDb(db);
    const cache = createExperimentCache(counted.db, { now: () => clock });
    const id = await startLaunch('launch-bandit', [1, 1, 1]);
    const before = decisions(await cache.running(DEMO_MERCHANT_ID));

    // The bandit job's write: 1:1:1 → 1:2:3. The minimum to move is 1/6 (a third of v0's users,
    // to v2); contiguous ranges moved 1/3 (v0 → v1 and v1 → v2).
    await setVariantWeights(db, DEMO_MERCHANT_ID, null, id, { v0: 1, v1: 2, v2: 3 });
    clock += 60_000;
    const reloadFrom = counted.queries();
    const running = await cache.running(DEMO_MERCHANT_ID);
    // A fingerprint and one load: the allocation rides in the running-experiments query.
    expect(counted.queries() - reloadFrom).toBe(2);
    const asked = counted.queries();
    const after = decisions(running);
    expect(counted.queries()).toBe(asked);

    let moved = 0;
    const directions = new Set<string>();
    for (const [i, d] of before.entries()) {
      const now = after[i]?.variant;
      if (d.variant === now) continue;
      moved++;
      directions.add(`${d.variant}→${now}`);
    }
    console.log(
      `1:1:1 → 1:2:3 moved ${((100 * moved) / users.length).toFixed(2)} % of users (minimum 16.67 %)`,
    );
    // Binomial sd at n = 30,000 is about 0.0022: 0.012 is over 5 sd.
    expect(Math.abs(moved / users.length - 1 / 6)).toBeLessThan(0.012);
    expect([...directions]).toEqual(['v0→v2']);
    // Each exposure logs the bucket share in force, what inverse-propensity weighting needs.
    const allocation = running[0]?.allocation;
    if (!allocation) throw new Error('no stored allocation');
    const shares = allocationCounts(allocation);
    for (const d of after.slice(0, 2000)) expect(d.p).toBe((shares.get(d.variant) ?? 0) / ASSIGNMENT_BUCKETS);

    // Two more launch experiments: each new one takes its share of the layer from the others and
    // no user changes between the experiments already running.
    await startLaunch('launch-second', [1, 1]);
    clock += 60_000;
    const two = decisions(await cache.running(DEMO_MERCHANT_ID));
    await startLaunch('launch-third', [1, 1]);
    clock += 60_000;
    const three = decisions(await cache.running(DEMO_MERCHANT_ID));
    let changed = 0;
    for (const [i, d] of two.entries()) {
      const now = three[i]?.experiment.key;
      if (d.experiment.key === now) continue;
      changed++;
      expect(now).toBe('launch-third');
    }
    // A third of the layer moves (equal re-division moved a half).
    expect(Math.abs(changed / users.length - 1 / 3)).toBeLessThan(0.012);
    // Within an experiment no one changes variant because another started.
    for (const [i, d] of three.entries()) {
      if (d.experiment.key === after[i]?.experiment.key) expect(d.variant).toBe(after[i]?.variant);
    }
  });
});
