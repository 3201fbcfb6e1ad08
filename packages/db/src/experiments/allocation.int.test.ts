import {
  type Allocation,
  allocationCounts,
  assignVariant,
  type ExperimentDefinitionInput,
  experimentInLayer,
  movedBuckets,
  newAllocation,
  reallocate,
  statelessLayerAllocation,
} from '@pitchline/core';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PitchlineDb } from '../open';
import { experimentLayers, experiments } from '../schema';
import { DEMO_MERCHANT_ID, seedDemo } from '../seed';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from '../testing';
import {
  createExperiment,
  experimentHistory,
  getExperiment,
  type RunningExperiment,
  runningExperiments,
  setVariantWeights,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from './index';

/*
 * The stored allocations (core's allocation.ts) through the repository: written at start, moved
 * minimally by every weight change (the bandit's setVariantWeights and the dashboard's
 * updateExperiment) and by every start and stop in a layer, in the same transaction, recorded in the
 * history, and handed to the skill with the running experiments.
 */

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);

const variant = (key: string, weight: number, isControl = false) => ({
  key,
  name: key,
  template: `Pitch ${key}: {{product}} for {{price}}.`,
  weight,
  isControl,
});

const users = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Shares of users (of `n`) who change variant between two assignments, and in which directions. */
function moves(before: RunningExperiment, after: RunningExperiment, ids: readonly string[]) {
  let moved = 0;
  const directions = new Set<string>();
  for (const user of ids) {
    const from = assignVariant(before, user).variantKey;
    const to = assignVariant(after, user).variantKey;
    if (from !== to) {
      moved++;
      directions.add(`${from}→${to}`);
    }
  }
  return { moved: moved / ids.length, directions: [...directions].sort() };
}

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`stored allocations on ${backend.kind}`, () => {
    let database: TestDatabase;
    let db: PitchlineDb;

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL });
      db = database.db;
      await seedDemo(db);
    });
    afterAll(async () => {
      await database?.close();
    });

    const input = (
      key: string,
      overrides: Partial<ExperimentDefinitionInput> = {},
    ): ExperimentDefinitionInput => ({
      key,
      hypothesis: 'Some pitch sells more',
      scope: { kind: 'category', category: `cat-${key}` },
      variants: [variant('a', 40, true), variant('b', 30), variant('c', 30)],
      primaryMetric: 'conversion',
      ...overrides,
    });
    const running = async (key: string) => {
      const found = (await runningExperiments(db, DEMO_MERCHANT_ID)).find((e) => e.key === key);
      if (!found) throw new Error(`${key} is not running`);
      return found;
    };

    it('stores the contiguous split at start, moves only the total variation distance on each weight change, and records it', async () => {
      const created = await createExperiment(db, DEMO_MERCHANT_ID, null, input('weights'));
      expect(created.allocation).toBeNull();
      // A draft's weights change freely: nothing is laid out until it starts.
      for (const weights of [
        [50, 25, 25],
        [40, 30, 30],
      ]) {
        const draft = await updateExperiment(db, DEMO_MERCHANT_ID, null, created.id, {
          variants: [
            variant('a', weights[0] as number, true),
            variant('b', weights[1] as number),
            variant('c', weights[2] as number),
          ],
        });
        expect(draft.allocation).toBeNull();
      }
      const started = await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
      expect(started.allocation).toEqual(newAllocation(started.variants));
      const ids = users(40_000, 'weights-user-');

      // The bandit's path, then the dashboard's: 40:30:30 → 10:30:60 → 20:50:30.
      const first = await running('weights');
      const after = await setVariantWeights(db, DEMO_MERCHANT_ID, null, created.id, { a: 10, b: 30, c: 60 });
      expect(after.allocation).toEqual(reallocate(started.allocation as Allocation, after.variants));
      const second = await running('weights');
      expect(second.allocation).toEqual(after.allocation);
      const firstMove = moves(first, second, ids);
      // The minimum is 30 % (a gives 30 points to c); contiguous ranges moved 60 %. Binomial sd at
      // n = 40,000 is under 0.0025, so 0.015 is 6 sd.
      expect(Math.abs(firstMove.moved - 0.3)).toBeLessThan(0.015);
      expect(firstMove.directions).toEqual(['a→c']);

      const edited = await updateExperiment(db, DEMO_MERCHANT_ID, null, created.id, {
        variants: [variant('a', 20, true), variant('b', 50), variant('c', 30)],
      });
      const third = await running('weights');
      expect(third.allocation).toEqual(edited.allocation);
      const secondMove = moves(second, third, ids);
      // c gives 30 points: 10 to a and 20 to b, and nobody else moves.
      expect(Math.abs(secondMove.moved - 0.3)).toBeLessThan(0.015);
      expect(secondMove.directions).toEqual(['c→a', 'c→b']);
      // Each exposure logs the bucket share in force (the weights here divide the buckets exactly).
      const logged = new Map(
        ids.slice(0, 2000).map((u) => {
          const a = assignVariant(third, u);
          return [a.variantKey, a.probability] as const;
        }),
      );
      expect(Object.fromEntries(logged)).toEqual({ a: 0.2, b: 0.5, c: 0.3 });

      // A change that leaves the weights alone leaves the allocation alone.
      const renamed = await updateExperiment(db, DEMO_MERCHANT_ID, null, created.id, { name: 'Renamed' });
      expect(renamed.allocation).toEqual(edited.allocation);

      const history = await experimentHistory(db, DEMO_MERCHANT_ID, created.id);
      const start = history.find((h) => h.action === 'start');
      expect(start?.details.allocation).toEqual(started.allocation);
      const updates = history.filter((h) => h.action === 'update' && 'allocation' in h.details);
      expect(updates.map((h) => h.details.allocation)).toEqual([
        { from: started.allocation, to: after.allocation, movedFraction: 0.3 },
        { from: after.allocation, to: edited.allocation, movedFraction: 0.3 },
      ]);
      // Replaying the history gives the allocation in force: it is the audit trail of who heard what.
      const last = updates.at(-1)?.details.allocation as { to: Allocation };
      expect(last.to).toEqual((await getExperiment(db, DEMO_MERCHANT_ID, created.id))?.allocation);
      await stopExperiment(db, DEMO_MERCHANT_ID, null, created.id);
    });

    it('keeps the split of an experiment started before allocations were stored, then moves it minimally', async () => {
      const created = await createExperiment(
        db,
        DEMO_MERCHANT_ID,
        null,
        input('legacy', { variants: [variant('a', 1, true), variant('b', 1), variant('c', 1)] }),
      );
      await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
      // What a row started before migration 0004 looks like: no allocation.
      await db.update(experiments).set({ allocation: null }).where(eq(experiments.id, created.id));
      const legacy = await running('legacy');
      expect(legacy.allocation).toBeNull();
      const ids = users(30_000, 'legacy-user-');
      // Assigned exactly as before: the contiguous ranges of the weights in key order.
      const contiguous = { ...legacy, allocation: newAllocation(legacy.variants) };
      for (const user of ids.slice(0, 5000)) {
        expect(assignVariant(legacy, user)).toEqual(assignVariant(contiguous, user));
      }

      await setVariantWeights(db, DEMO_MERCHANT_ID, null, created.id, { a: 1, b: 2, c: 3 });
      const now = await running('legacy');
      const { moved } = moves(legacy, now, ids);
      // 1:1:1 → 1:2:3: the minimum is 1/6 (contiguous ranges moved 1/3). Binomial sd < 0.0022.
      expect(Math.abs(moved - 1 / 6)).toBeLessThan(0.015);
      const history = await experimentHistory(db, DEMO_MERCHANT_ID, created.id);
      const change = history.at(-1)?.details.allocation as { from: Allocation };
      expect(change.from).toEqual(newAllocation(legacy.variants));
      await stopExperiment(db, DEMO_MERCHANT_ID, null, created.id);
    });

    it('re-divides a layer minimally at every start and stop, and drops it with its last experiment', async () => {
      const layer = 'shared-slot';
      const make = async (key: string) =>
        (
          await createExperiment(
            db,
            DEMO_MERCHANT_ID,
            null,
            input(key, { scope: { kind: 'category', category: 'Layered' }, layer }),
          )
        ).id;
      const [x, y, z] = [await make('layer-x'), await make('layer-y'), await make('layer-z')];
      const layerRow = async () =>
        (
          await db
            .select({ allocation: experimentLayers.allocation })
            .from(experimentLayers)
            .where(and(eq(experimentLayers.merchantId, DEMO_MERCHANT_ID), eq(experimentLayers.layer, layer)))
        )[0]?.allocation;
      const inLayer = async () =>
        (await runningExperiments(db, DEMO_MERCHANT_ID)).filter((e) => e.layer === layer);
      const ids = users(30_000, 'layer-user-');
      const owners = async () => {
        const list = await inLayer();
        return ids.map((u) => experimentInLayer(list, u)?.key);
      };

      await startExperiment(db, DEMO_MERCHANT_ID, null, x);
      expect(await layerRow()).toEqual(newAllocation([{ key: 'layer-x', weight: 1 }]));
      await startExperiment(db, DEMO_MERCHANT_ID, null, y);
      const two = await owners();
      expect((await inLayer()).every((e) => e.layerAllocation !== null)).toBe(true);
      await startExperiment(db, DEMO_MERCHANT_ID, null, z);
      const three = await owners();
      // The third experiment takes a third of the layer, and only that moves (re-dividing moved a half).
      const movedToZ = ids.filter((_, i) => two[i] !== three[i]);
      expect(ids.every((_, i) => two[i] === three[i] || three[i] === 'layer-z')).toBe(true);
      expect(Math.abs(movedToZ.length / ids.length - 1 / 3)).toBeLessThan(0.02);
      const counts = allocationCounts((await layerRow()) as Allocation);
      expect([...counts.values()].sort()).toEqual([3333, 3333, 3334]);

      await stopExperiment(db, DEMO_MERCHANT_ID, null, y);
      const afterStop = await owners();
      // Only y's users move (to x or z); everyone else stays where they were.
      expect(ids.every((_, i) => three[i] === 'layer-y' || afterStop[i] === three[i])).toBe(true);
      expect(afterStop.includes('layer-y')).toBe(false);
      const history = await experimentHistory(db, DEMO_MERCHANT_ID, y);
      const stop = history.find((h) => h.action === 'stop')?.details.layer as {
        name: string;
        movedFraction: number;
      };
      expect(stop.name).toBe(layer);
      expect(stop.movedFraction).toBeCloseTo(1 / 3, 3);

      await stopExperiment(db, DEMO_MERCHANT_ID, null, x);
      await stopExperiment(db, DEMO_MERCHANT_ID, null, z);
      expect(await layerRow()).toBeUndefined();
    });

    it('takes over a layer that ran before layer allocations were stored without moving its users', async () => {
      const layer = 'legacy-layer';
      const ids = users(20_000, 'legacy-layer-user-');
      const make = async (key: string) =>
        (
          await createExperiment(
            db,
            DEMO_MERCHANT_ID,
            null,
            input(key, { scope: { kind: 'category', category: 'Old layer' }, layer }),
          )
        ).id;
      const p = await make('old-p');
      const q = await make('old-q');
      await startExperiment(db, DEMO_MERCHANT_ID, null, p);
      await startExperiment(db, DEMO_MERCHANT_ID, null, q);
      // As before migration 0004: no layer row, so the stateless division by start order applies.
      await db.delete(experimentLayers).where(eq(experimentLayers.layer, layer));
      const list = (await runningExperiments(db, DEMO_MERCHANT_ID)).filter((e) => e.layer === layer);
      expect(list.map((e) => e.layerAllocation)).toEqual([null, null]);
      const before = ids.map((u) => experimentInLayer(list, u)?.key);
      expect(
        before.every(
          (k, i) => k === experimentInLayer(list.map((e) => ({ ...e })).reverse(), ids[i] as string)?.key,
        ),
      ).toBe(true);

      const r = await make('old-r');
      await startExperiment(db, DEMO_MERCHANT_ID, null, r);
      const now = (await runningExperiments(db, DEMO_MERCHANT_ID)).filter((e) => e.layer === layer);
      const after = ids.map((u) => experimentInLayer(now, u)?.key);
      expect(ids.every((_, i) => before[i] === after[i] || after[i] === 'old-r')).toBe(true);
      const history = await experimentHistory(db, DEMO_MERCHANT_ID, r);
      const start = history.find((h) => h.action === 'start')?.details.layer as { from: Allocation };
      expect(start.from).toEqual(statelessLayerAllocation(list));
      for (const id of [p, q, r]) await stopExperiment(db, DEMO_MERCHANT_ID, null, id);
    });

    it('never gives two experiments started at once in one layer the same buckets', async () => {
      const layer = 'race';
      const ids = await Promise.all(
        ['race-1', 'race-2', 'race-3', 'race-4'].map(
          async (key) =>
            (
              await createExperiment(
                db,
                DEMO_MERCHANT_ID,
                null,
                input(key, { scope: { kind: 'category', category: 'Race' }, layer }),
              )
            ).id,
        ),
      );
      await Promise.all(ids.map((id) => startExperiment(db, DEMO_MERCHANT_ID, null, id)));
      const [row] = await db
        .select({ allocation: experimentLayers.allocation })
        .from(experimentLayers)
        .where(eq(experimentLayers.layer, layer));
      const counts = allocationCounts(row?.allocation as Allocation);
      // Each start saw the ones committed before it: four equal shares, not an overlap or a gap.
      expect([...counts.keys()].sort()).toEqual(['race-1', 'race-2', 'race-3', 'race-4']);
      expect([...counts.values()].sort()).toEqual([2500, 2500, 2500, 2500]);
      await Promise.all(ids.map((id) => stopExperiment(db, DEMO_MERCHANT_ID, null, id)));
      expect(
        (
          await db.execute<{ n: number }>(
            sql`select count(*)::int as n from experiment_layers where layer = 'race'`,
          )
        ).rows[0]?.n,
      ).toBe(0);
    });

    it('refuses an allocation that is not an object with runs (CHECK)', async () => {
      const created = await createExperiment(db, DEMO_MERCHANT_ID, null, input('bad-allocation'));
      await expect(
        db
          .update(experiments)
          .set({ allocation: [] as unknown as Allocation })
          .where(eq(experiments.id, created.id)),
      ).rejects.toThrow();
      // The stored size stays small: a start's allocation is one run per variant.
      const started = await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
      expect(started.allocation?.runs).toHaveLength(3);
      expect(movedBuckets(started.allocation as Allocation, started.allocation as Allocation)).toBe(0);
      await stopExperiment(db, DEMO_MERCHANT_ID, null, created.id);
    });
  });
}
