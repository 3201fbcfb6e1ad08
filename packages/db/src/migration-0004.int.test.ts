import { rm } from 'node:fs/promises';
import {
  type Allocation,
  assignVariant,
  experimentInLayer,
  newAllocation,
  newId,
  reallocate,
} from '@pitchline/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentHistory, runningExperiments, setVariantWeights, startExperiment } from './experiments';
import { migrateDatabase } from './migrate';
import { migrationsBefore } from './migrations-before';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';

/*
 * 0004 (experiments.allocation, experiment_layers) on a database holding experiments that were
 * already running under 0003: nothing is backfilled, so they are split exactly as before, and their
 * first weight change or the next start in their layer stores the allocation it moved from.
 */

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);

const MERCHANT = '01936f4e-0000-7000-8000-00000000b001';
const WEIGHTED = '01936f4e-0000-7000-8000-00000000b002';
const FIRST = '01936f4e-0000-7000-8000-00000000b003';
const SECOND = '01936f4e-0000-7000-8000-00000000b004';
const THIRD = '01936f4e-0000-7000-8000-00000000b005';

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`migration 0004 on ${backend.kind}`, () => {
    let database: TestDatabase;
    let before: string;

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL, migrate: false });
      let tags: string[];
      ({ dir: before, tags } = await migrationsBefore('0004'));
      expect(tags.at(-1)).toBe('0003_product_discount_history_actor');
    });
    afterAll(async () => {
      await database?.close();
      if (before) await rm(before, { recursive: true, force: true });
    });

    it('moves no running user on deploy, and the first change moves minimally from the old split', async () => {
      const { db } = database;
      await migrateDatabase(database, before);
      // Written under 0003, in SQL: the schema in src/ names a column 0003 does not have.
      await db.execute(sql`insert into merchants (id, name) values (${MERCHANT}, 'Before')`);
      const experiment = (id: string, key: string, layer: string, started: string, status = 'running') =>
        db.execute(
          sql`insert into experiments (id, merchant_id, key, name, scope, scope_value, primary_metric, salt, layer, status, started_at)
              values (${id}, ${MERCHANT}, ${key}, ${key}, 'launch', '', 'conversion', ${`${key}-salt`}, ${layer},
                      ${status}, ${status === 'draft' ? null : started}::timestamptz)`,
        );
      const variants = (id: string, weights: Record<string, number>) =>
        db.execute(
          sql`insert into experiment_variants (id, experiment_id, key, name, template, weight, is_control) values ${sql.join(
            Object.entries(weights).map(
              ([key, weight], i) =>
                sql`(${newId()}, ${id}, ${key}, ${key}, ${`Pitch ${key}: {{product}}.`}, ${weight}, ${i === 0})`,
            ),
            sql`, `,
          )}`,
        );
      await experiment(WEIGHTED, 'weighted', 'solo', '2026-01-01T00:00:00Z');
      await variants(WEIGHTED, { a: 1, b: 1, c: 1 });
      await experiment(FIRST, 'first', 'shared', '2026-01-02T00:00:00Z');
      await variants(FIRST, { a: 1, b: 1 });
      await experiment(SECOND, 'second', 'shared', '2026-01-03T00:00:00Z');
      await variants(SECOND, { a: 1, b: 1 });
      await experiment(THIRD, 'third', 'shared', '', 'draft');
      await variants(THIRD, { a: 1, b: 1 });

      await migrateDatabase(database);
      const loaded = await runningExperiments(db, MERCHANT);
      expect(loaded.map((e) => [e.key, e.allocation, e.layerAllocation])).toEqual([
        ['weighted', null, null],
        ['first', null, null],
        ['second', null, null],
      ]);
      const users = Array.from({ length: 20_000 }, (_, i) => `deployed-user-${i}`);
      const weighted = loaded[0] as (typeof loaded)[number];
      // The stateless split, bucket for bucket: the same as the contiguous allocation of the weights.
      const contiguous = { ...weighted, allocation: newAllocation(weighted.variants) };
      for (const user of users.slice(0, 3000))
        expect(assignVariant(weighted, user)).toEqual(assignVariant(contiguous, user));

      await setVariantWeights(db, MERCHANT, null, WEIGHTED, { a: 1, b: 2, c: 3 });
      const [changed] = await runningExperiments(db, MERCHANT);
      expect(changed?.allocation).toEqual(
        reallocate(newAllocation(weighted.variants), [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 2 },
          { key: 'c', weight: 3 },
        ]),
      );
      const moved = users.filter(
        (u) =>
          assignVariant(weighted, u).variantKey !== assignVariant(changed as typeof weighted, u).variantKey,
      ).length;
      // 1:1:1 → 1:2:3 moves 1/6 at least; binomial sd at n = 20,000 is under 0.003.
      expect(Math.abs(moved / users.length - 1 / 6)).toBeLessThan(0.015);
      const history = await experimentHistory(db, MERCHANT, WEIGHTED);
      expect((history.at(-1)?.details.allocation as { from?: Allocation } | undefined)?.from).toEqual(
        newAllocation(weighted.variants),
      );

      // The shared layer: starting a third experiment takes its third from the two that ran before.
      const layer = loaded.slice(1);
      const was = users.map((u) => experimentInLayer(layer, u)?.key);
      await startExperiment(db, MERCHANT, null, THIRD);
      const now = (await runningExperiments(db, MERCHANT)).filter((e) => e.layer === 'shared');
      const is = users.map((u) => experimentInLayer(now, u)?.key);
      expect(users.every((_, i) => was[i] === is[i] || is[i] === 'third')).toBe(true);
      const share = is.filter((k) => k === 'third').length / users.length;
      expect(Math.abs(share - 1 / 3)).toBeLessThan(0.015);
    });
  });
}
