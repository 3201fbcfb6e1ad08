import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate';
import { migrationsBefore } from './migrations-before';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';
import { hashToken } from './tokens';

/*
 * 0008 (account lifecycle) on a database holding API keys made before keys had expiries or scopes:
 * each gets a year from the migration (the longest a new key may live) and the two read scopes it
 * effectively had; none gains write.
 */

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);

const MERCHANT = '01936f4e-0000-7000-8000-00000000c001';
const KEY = '01936f4e-0000-7000-8000-00000000c002';

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`migration 0008 on ${backend.kind}`, () => {
    let database: TestDatabase;
    let before: string;

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL, migrate: false });
      let tags: string[];
      ({ dir: before, tags } = await migrationsBefore('0008'));
      expect(tags.at(-1)).toBe('0007_order_payment_review');
    }, 60_000);
    afterAll(async () => {
      await database?.close();
      if (before) await rm(before, { recursive: true, force: true });
    });

    it('gives keys made before it, or by an older instance, a year and the read scopes', async () => {
      const { db } = database;
      await migrateDatabase(database, before);
      await db.execute(sql`insert into merchants (id, name) values (${MERCHANT}, 'Before')`);
      await db.execute(
        sql`insert into api_keys (id, merchant_id, name, prefix, key_hash) values (${KEY}, ${MERCHANT}, 'old', 'plk_old', ${hashToken('plk_old-secret')})`,
      );
      const migratedAt = Date.now();
      await migrateDatabase(database);
      const { rows } = await db.execute<{ expires_at: string | Date; scopes: string[] | string }>(
        sql`select expires_at, scopes from api_keys where id = ${KEY}`,
      );
      const [row] = rows;
      expect(row).toBeDefined();
      const expiresAt = new Date(row?.expires_at ?? 0).getTime();
      const year = 365 * 86_400_000;
      // Set by the database's clock during the migration: within the minutes this test takes.
      expect(Math.abs(expiresAt - (migratedAt + year))).toBeLessThan(10 * 60_000);
      const scopes = typeof row?.scopes === 'string' ? row.scopes : `{${row?.scopes.join(',')}}`;
      expect(scopes).toBe('{analytics:read,transcripts:read}');
      // An older instance during a rolling upgrade inserts without the new columns: its key gets a
      // year and read scopes, never write.
      await db.execute(
        sql`insert into api_keys (id, merchant_id, name, prefix, key_hash) values (gen_random_uuid(), ${MERCHANT}, 'rolling', 'plk_roll', ${hashToken('plk_roll-secret')})`,
      );
      const { rows: rolled } = await db.execute<{ days: number | string; scopes: string[] | string }>(
        sql`select extract(day from expires_at - created_at) as days, scopes from api_keys where name = 'rolling'`,
      );
      expect(Number(rolled[0]?.days)).toBe(365);
      expect(String(rolled[0]?.scopes)).not.toContain('experiments:write');
    });
  });
}
