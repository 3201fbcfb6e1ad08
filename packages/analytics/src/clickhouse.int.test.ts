import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChdbPathConflictError, createClickHouse } from './clickhouse';
import { EVENT_COLUMNS } from './event-row';
import { migrateClickHouse } from './migrate';
import { MIGRATIONS } from './migrations/index';
import { openTestClickHouse, type TestClickHouse, testDataDir } from './testing';

const opened: TestClickHouse[] = [];
afterAll(async () => {
  for (const h of opened) await h.dispose();
});

describe('createClickHouse (chDB)', () => {
  it('creates the database, shares one session per path and refuses a second data directory', async () => {
    const a = await openTestClickHouse({ migrate: false });
    opened.push(a);
    expect(a.mode).toBe('chdb');
    expect(await a.ping()).toBe(true);
    const dbs = await (
      await a.client.query({
        query: `SELECT name FROM system.databases WHERE name = {db:String}`,
        query_params: { db: a.database },
        format: 'JSONEachRow',
      })
    ).json();
    expect(dbs).toHaveLength(1);

    const b = await openTestClickHouse({ migrate: false });
    opened.push(b);
    expect(b.client).toBe(a.client);
    expect(b.database).not.toBe(a.database);

    expect(() => createClickHouse({ database: 'x', dataDir: join(testDataDir(), 'elsewhere') })).toThrow(
      ChdbPathConflictError,
    );
  });

  it('server mode: an unreachable server makes ping() false and migrations fail, without unhandled errors', async () => {
    const ch = createClickHouse({ url: 'http://127.0.0.1:9', database: 'nowhere', dataDir: testDataDir() });
    expect(ch.mode).toBe('server');
    expect(await ch.ping()).toBe(false);
    await expect(migrateClickHouse(ch)).rejects.toThrow();
    await ch.close();
  });

  it('rejects database names that are not plain identifiers', () => {
    expect(() => createClickHouse({ database: 'x; DROP TABLE y', dataDir: testDataDir() })).toThrow(
      /identifier/,
    );
  });
});

describe('migrateClickHouse', () => {
  it('is idempotent: a second run applies nothing and the version is recorded once', async () => {
    const ch = await openTestClickHouse({ migrate: false });
    opened.push(ch);
    const first = await migrateClickHouse(ch);
    expect(first.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrateClickHouse(ch)).toEqual([]);
    const rows = await (
      await ch.client.query({
        query: `SELECT version, name, checksum FROM ${ch.database}.schema_migrations ORDER BY version`,
        format: 'JSONEachRow',
      })
    ).json<{ version: number; name: string; checksum: string }>();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(rows[0]).toMatchObject({ version: 1, name: 'events' });
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a recorded migration whose SQL changed', async () => {
    const ch = await openTestClickHouse();
    opened.push(ch);
    const edited = { version: 1, name: 'events', statements: () => ['SELECT 1'] };
    await expect(migrateClickHouse(ch, [edited])).rejects.toThrow(/changed after it was applied/);
  });

  it('creates the events table with exactly the columns toEventRow knows', async () => {
    const ch = await openTestClickHouse();
    opened.push(ch);
    const cols = await (
      await ch.client.query({ query: `DESCRIBE TABLE ${ch.database}.events`, format: 'JSONEachRow' })
    ).json<{ name: string }>();
    expect(cols.map((c) => c.name)).toEqual([...EVENT_COLUMNS]);
  });
});
