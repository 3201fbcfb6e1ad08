import { rm } from 'node:fs/promises';
import { DEFAULT_CONVERSION_WINDOW_HOURS, newId } from '@pitchline/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate';
import { migrationsBefore } from './migrations-before';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';

/*
 * 0003 (product compare-at price, history actor e-mail, conversion window default) on a database that
 * already holds rows written under 0002: the e-mail of existing history rows is filled in, and the new
 * rules hold for what is written next.
 */

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);

/** The Postgres constraint a rejected query violated (drizzle wraps the driver error as `cause`). */
async function violated(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const cause = (error as { cause?: { constraint?: string; code?: string } }).cause ?? error;
    return (cause as { constraint?: string }).constraint ?? `no constraint: ${(error as Error).message}`;
  }
  throw new Error('expected the query to be rejected');
}

const MERCHANT = '01936f4e-0000-7000-8000-00000000a001';
const MEMBER = '01936f4e-0000-7000-8000-00000000a002';
const EXPERIMENT = '01936f4e-0000-7000-8000-00000000a003';
const PRODUCT = '01936f4e-0000-7000-8000-00000000a004';

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`migration 0003 on ${backend.kind}`, () => {
    let database: TestDatabase;
    let before: string;

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL, migrate: false });
      let tags: string[];
      ({ dir: before, tags } = await migrationsBefore('0003'));
      expect(tags).toEqual(['0000_init', '0001_accounts', '0002_experiment_lifecycle']);
    });
    afterAll(async () => {
      await database?.close();
      if (before) await rm(before, { recursive: true, force: true });
    });

    it('fills in the e-mail of history written before it, and enforces the new rules after', async () => {
      const { db } = database;
      await migrateDatabase(database, before);
      // Written under 0002, in SQL: the schema in src/ already names columns 0002 does not have.
      await db.execute(sql`insert into merchants (id, name) values (${MERCHANT}, 'Before')`);
      await db.execute(
        sql`insert into members (id, merchant_id, email, password_hash) values (${MEMBER}, ${MERCHANT}, 'old@example.com', 'x')`,
      );
      await db.execute(
        sql`insert into experiments (id, merchant_id, key, name, scope, scope_value, primary_metric, salt)
            values (${EXPERIMENT}, ${MERCHANT}, 'old', 'Old', 'launch', '', 'conversion', 'salt')`,
      );
      expect(
        (await db.execute<{ h: number }>(sql`select conversion_window_hours as h from experiments`)).rows,
      ).toEqual([{ h: 24 }]);
      await db.execute(
        sql`insert into experiment_history (id, experiment_id, actor_member_id, action) values
            (${newId()}, ${EXPERIMENT}, ${MEMBER}, 'create'), (${newId()}, ${EXPERIMENT}, null, 'update')`,
      );

      await migrateDatabase(database);
      const history = await db.execute<{ action: string; actor_email: string | null }>(
        sql`select action, actor_email from experiment_history order by action`,
      );
      expect(history.rows).toEqual([
        { action: 'create', actor_email: 'old@example.com' },
        { action: 'update', actor_email: null },
      ]);
      // A member's row in the history says who it was: an actor without an e-mail is refused.
      expect(
        await violated(
          db.execute(
            sql`insert into experiment_history (id, experiment_id, actor_member_id, action) values (${newId()}, ${EXPERIMENT}, ${MEMBER}, 'start')`,
          ),
        ),
      ).toBe('experiment_history_actor_email_check');

      // The database's default window is core's: one value whichever side fills it in.
      await db.execute(
        sql`insert into experiments (id, merchant_id, key, name, scope, scope_value, primary_metric, salt)
            values (${newId()}, ${MERCHANT}, 'new', 'New', 'launch', '', 'conversion', 'salt')`,
      );
      expect(
        (
          await db.execute<{ h: number }>(
            sql`select conversion_window_hours as h from experiments where key = 'new'`,
          )
        ).rows,
      ).toEqual([{ h: DEFAULT_CONVERSION_WINDOW_HOURS }]);
      expect(DEFAULT_CONVERSION_WINDOW_HOURS).toBe(72);

      // A compare-at price is above the price, or absent.
      const product = (compareAt: number | null) =>
        db.execute(
          sql`insert into products (id, merchant_id, name, category, price_amount, compare_at_amount, currency, default_pitch)
              values (${PRODUCT}, ${MERCHANT}, ${`P${compareAt}`}, 'C', 1500, ${compareAt}, 'USD', '{{product}}')
              on conflict (id) do update set compare_at_amount = excluded.compare_at_amount`,
        );
      expect(await violated(product(1500))).toBe('products_compare_at_check');
      expect(await violated(product(900))).toBe('products_compare_at_check');
      await product(null);
      await product(2000);
      expect(
        (await db.execute<{ c: string | number }>(sql`select compare_at_amount as c from products`)).rows.map(
          (r) => Number(r.c),
        ),
      ).toEqual([2000]);
    });
  });
}
