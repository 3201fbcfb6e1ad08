import { toEventRow } from '@pitchline/analytics';
import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import {
  type Allocation,
  ASSIGNMENT_BUCKETS,
  allocationCounts,
  assignVariant,
  movedFraction,
  newEventId,
  type PitchlineEvent,
  reallocate,
} from '@pitchline/core';
import {
  createExperiment,
  DEMO_MERCHANT_ID,
  experimentHistory,
  getExperiment,
  type RunningExperiment,
  runningExperiments,
  seedDemo,
  startExperiment,
} from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebalanceBandits, toIntegerWeights } from './rebalance-bandits';

let database: TestDatabase;
let ch: TestClickHouse;
beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await seedDemo(database.db);
  ch = await openTestClickHouse();
}, 120_000);
afterAll(async () => {
  await database?.close();
  await ch?.dispose();
});

const variant = (key: string, isControl = false) => ({
  key,
  name: key,
  template: `Pitch ${key}: {{product}} for {{price}}.`,
  weight: 1,
  isControl,
});

/** `users` exposed users per variant, of whom the given share paid inside the window. */
function traffic(experiment: { id: string; key: string }, start: number, paidShare: Record<string, number>) {
  const events: PitchlineEvent[] = [];
  for (const [key, share] of Object.entries(paidShare)) {
    for (let i = 0; i < 300; i++) {
      const base = {
        merchant_id: DEMO_MERCHANT_ID,
        skill_id: 'skill',
        user_id: `${key}-${i}`,
        session_id: `${key}-${i}-s`,
      };
      const ts = start + 60_000 + i * 1_000;
      events.push({
        ...base,
        event_id: newEventId(),
        ts,
        type: 'pitch_exposure',
        experiment_id: experiment.id,
        experiment_key: experiment.key,
        variant_key: key,
        assignment_probability: 1 / 3,
      });
      if (i < share * 300) {
        events.push({
          ...base,
          event_id: newEventId(),
          ts: ts + 60_000,
          type: 'payment_succeeded',
          order_id: newEventId(),
          amount: 1_850,
          currency: 'USD',
          variants: [`${experiment.key}:${key}`],
        });
      }
    }
  }
  return events;
}

describe('bandit rebalancing', () => {
  it('moves traffic to the clearly better variant, keeps the floor, records it, and is stable', async () => {
    const created = await createExperiment(database.db, DEMO_MERCHANT_ID, null, {
      key: 'bandit-launch',
      hypothesis: 'One of three launch pitches sells best; let traffic find it',
      scope: { kind: 'launch' },
      variants: [variant('control', true), variant('b'), variant('c')],
      primaryMetric: 'conversion',
      conversionWindowHours: 24,
      mode: 'bandit',
      banditFloor: 0.1,
    });
    const started = await startExperiment(database.db, DEMO_MERCHANT_ID, null, created.id);
    const start = (started.startedAt as Date).getTime();
    await ch.client.insert({
      table: `${ch.database}.events`,
      format: 'JSONEachRow',
      values: traffic(started, start, { control: 0.05, b: 0.3, c: 0.06 }).map(toEventRow),
    });
    const later = () => new Date(start + 6 * 3_600_000);

    const [outcome] = await rebalanceBandits({ db: database.db, ch, now: later });
    expect(outcome?.changed).toBe(true);
    const after = await getExperiment(database.db, DEMO_MERCHANT_ID, created.id);
    const weights = Object.fromEntries((after?.variants ?? []).map((v) => [v.key, v.weight]));
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    // Top-two sampling gives the leader about β = ½ of the traffic and the rest to its challengers.
    expect((weights.b ?? 0) / total).toBeGreaterThan(0.4);
    expect(weights.b).toBeGreaterThan(Math.max(weights.control ?? 0, weights.c ?? 0));
    for (const key of ['control', 'c']) expect((weights[key] as number) / total).toBeGreaterThanOrEqual(0.1);
    const history = await experimentHistory(database.db, DEMO_MERCHANT_ID, created.id);
    expect(history.length).toBeGreaterThan(2);

    // The allocation moved with the weights, in the same transaction, by the least possible: only
    // users of variants that lost share moved, and as many as the bucket shares changed.
    const startAllocation = started.allocation as Allocation;
    const allocation = after?.allocation as Allocation;
    expect(allocation).toEqual(reallocate(startAllocation, after?.variants ?? []));
    const before = allocationCounts(startAllocation);
    const now = allocationCounts(allocation);
    const tvd =
      [...now].reduce((s, [k, n]) => s + Math.abs(n - (before.get(k) ?? 0)), 0) / 2 / ASSIGNMENT_BUCKETS;
    const record = history.at(-1)?.details.allocation as { movedFraction?: number } | undefined;
    expect(record?.movedFraction).toBeCloseTo(tvd, 12);
    expect(movedFraction(startAllocation, allocation)).toBeCloseTo(tvd, 12);
    const running = (await runningExperiments(database.db, DEMO_MERCHANT_ID)).find(
      (e) => e.id === created.id,
    );
    const users = Array.from({ length: 20_000 }, (_, i) => `amzn1.ask.account.rebalanced-${i}`);
    let moved = 0;
    for (const user of users) {
      const was = assignVariant(
        { ...(running as RunningExperiment), allocation: startAllocation, variants: started.variants },
        user,
      );
      const is = assignVariant(running as RunningExperiment, user);
      if (was.variantKey === is.variantKey) continue;
      moved++;
      // Only from a variant that lost share to one that gained it.
      expect((now.get(was.variantKey) ?? 0) < (before.get(was.variantKey) ?? 0)).toBe(true);
      expect((now.get(is.variantKey) ?? 0) > (before.get(is.variantKey) ?? 0)).toBe(true);
    }
    console.log(
      `rebalance 1:1:1 → ${after?.variants.map((v) => v.weight).join(':')}: moved ${((100 * moved) / users.length).toFixed(2)} % of users (total variation distance ${(100 * tvd).toFixed(2)} %)`,
    );
    // Binomial sd at n = 20,000 is under 0.0036: 0.02 is over 5 sd.
    expect(Math.abs(moved / users.length - tvd)).toBeLessThan(0.02);

    const [again] = await rebalanceBandits({ db: database.db, ch, now: later });
    expect(again?.changed).toBe(false);
    expect((await getExperiment(database.db, DEMO_MERCHANT_ID, created.id))?.allocation).toEqual(allocation);
  });

  it('keeps every share at or above the floor after rounding', () => {
    const ints = toIntegerWeights([0.0999, 0.0999, 0.8002], 0.1);
    const total = ints.reduce((a, b) => a + b, 0);
    for (const w of ints) expect(w / total).toBeGreaterThanOrEqual(0.1);
  });
});
