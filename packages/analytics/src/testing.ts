import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseHandle, createClickHouse } from './clickhouse';
import { migrateClickHouse } from './migrate';

let processDataDir: string | undefined;

/**
 * One chDB data directory per test process (libchdb allows no second one), removed when the process
 * exits. Test files that need the directory itself (to hand it to a child process) get it here.
 */
export function testDataDir(): string {
  if (!processDataDir) {
    const dir = mkdtempSync(join(tmpdir(), 'pitchline-analytics-test-'));
    processDataDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return processDataDir;
}

export function randomDatabaseName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface TestClickHouse extends ClickHouseHandle {
  /** Drops the test database, then closes the handle. */
  dispose(): Promise<void>;
}

/** A migrated, empty database of its own on the process's chDB (or on `url`'s server when given). */
export async function openTestClickHouse(
  options: { url?: string; migrate?: boolean } = {},
): Promise<TestClickHouse> {
  const handle = createClickHouse({
    database: randomDatabaseName(),
    dataDir: testDataDir(),
    ...(options.url ? { url: options.url } : {}),
  });
  if (options.migrate !== false) await migrateClickHouse(handle);
  else await handle.ready;
  return {
    ...handle,
    dispose: async () => {
      try {
        await handle.client.command({ query: `DROP DATABASE IF EXISTS ${handle.database} SYNC` });
      } finally {
        await handle.close();
      }
    },
  };
}

/** Counts rows per event_id in the events table: exactly-once checks compare this with what was recorded. */
export async function countByEventId(handle: ClickHouseHandle): Promise<Map<string, number>> {
  const rows = await (
    await handle.client.query({
      query: `SELECT toString(event_id) AS id, count() AS n FROM ${handle.database}.events GROUP BY id`,
      format: 'JSONEachRow',
    })
  ).json<{ id: string; n: string | number }>();
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
