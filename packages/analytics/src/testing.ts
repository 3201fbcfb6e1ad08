import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseHandle, createClickHouse, onCluster } from './clickhouse';
import { migrateClickHouse } from './migrate';
import { qualified, TABLES } from './tables';
import { clickHouseServerUnderTest } from './testing/server-target';

let processDataDir: string | undefined;
let openHandles = 0;

/**
 * One chDB data directory per test process (libchdb allows no second one). It is removed when the last
 * test handle is disposed (the chDB session is closed by then), and recreated at the same path if a later
 * test opens another: vitest workers do not reliably run 'exit' handlers, so cleanup cannot wait for exit.
 * Test files must dispose() their handles in afterAll/finally.
 */
export function testDataDir(): string {
  if (!processDataDir) {
    const dir = mkdtempSync(join(tmpdir(), 'pitchline-analytics-test-'));
    processDataDir = dir;
    // A backstop for files that fail before dispose(), when the worker does run exit handlers.
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  mkdirSync(processDataDir, { recursive: true });
  return processDataDir;
}

export function randomDatabaseName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface TestClickHouse extends ClickHouseHandle {
  /** Drops the test database, then closes the handle. */
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database of its own on the process's chDB, or on a ClickHouse server: `url`'s when
 * given, else the one `npm run test:clickhouse-server` names (testing/server-target.ts).
 */
export async function openTestClickHouse(
  options: { url?: string; migrate?: boolean } = {},
): Promise<TestClickHouse> {
  const server = options.url ? { url: options.url } : clickHouseServerUnderTest();
  const handle = createClickHouse({
    database: randomDatabaseName(),
    dataDir: testDataDir(),
    ...server,
  });
  openHandles++;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    try {
      await handle.client.command({
        query: `DROP DATABASE IF EXISTS ${handle.database}${onCluster(handle)} SYNC`,
      });
    } finally {
      await handle.close();
      if (--openHandles === 0 && processDataDir && !server) {
        rmSync(processDataDir, { recursive: true, force: true });
      }
    }
  };
  try {
    if (options.migrate !== false) await migrateClickHouse(handle);
    else await handle.ready;
  } catch (err) {
    await dispose();
    throw err;
  }
  return { ...handle, dispose };
}

/** Counts rows per event_id in the events table: exactly-once checks compare this with what was recorded. */
export async function countByEventId(handle: ClickHouseHandle): Promise<Map<string, number>> {
  const rows = await (
    await handle.client.query({
      query: `SELECT toString(event_id) AS id, count() AS n FROM ${qualified(handle.database, TABLES.events)} GROUP BY id`,
      format: 'JSONEachRow',
    })
  ).json<{ id: string; n: string | number }>();
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** Simulated experiment traffic with known truths (SRM, guardrails, effects), for other packages' tests. */
export { type SimOptions, simulateExperiment } from './experiments/testing/simulate';
/** The seeded traffic generator of the query tests, for tests of other packages (the API's reconciliation). */
export { type GeneratedData, generateEvents, mulberry32, seededUuid } from './queries/testing/generate';
export { forgetMigration } from './testing/forget-migration';
export * from './testing/probes/index';
export { readAllEvents } from './testing/read-events';
