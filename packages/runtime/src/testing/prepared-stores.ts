import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DevSigner, devCaDir, loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { migrateDatabase, openDatabase, type PitchlineDb, seedDemo } from '@pitchline/db';
import { createPgliteDataDir, openTestDatabase, postgresUnavailableReason } from '@pitchline/db/testing';

/** The shared test PostgreSQL (see the ground rules); each prepared server gets a database of its own on it. */
const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type PreparedStores = {
  dataDir: string;
  signer: DevSigner;
  /** Extra environment for the server: DATABASE_URL when PostgreSQL serves the relational store. */
  env: Record<string, string>;
  /**
   * Runs `read` on the relational store from this process. PostgreSQL takes it at any time; an embedded
   * PGlite only once no server has it open (one process per data directory), so call it after the stop.
   */
  withDatabase<T>(read: (db: PitchlineDb) => Promise<T>): Promise<T>;
  /** Drops the database and removes the data directory; call after the last server exited. */
  dispose(): Promise<void>;
};

/**
 * A DATA_DIR with the development CA, and a relational store holding the demo merchant, prepared by
 * this process before any server starts. Seeding here rather than in the server keeps the server's
 * first-run demo replay out of fault tests: its background load would only blur them. PostgreSQL is
 * preferred (a database created per test file) because a PGlite open costs many seconds on a busy
 * machine, twice per test; PGlite from the initialized template is the fallback. `setup` adds rows of
 * the test's own (orders to aim at, say) after the demo seed.
 */
export async function prepareServerStores(
  options: { setup?: (db: PitchlineDb) => Promise<void> } = {},
): Promise<PreparedStores> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-faults-'));
  const usePostgres = (await postgresUnavailableReason(PG_TEST_URL)) === undefined;
  const database = usePostgres
    ? await openTestDatabase('postgres', { postgresUrl: PG_TEST_URL })
    : await openPgliteIn(dataDir);
  await seedDemo(database.db);
  await options.setup?.(database.db);
  const { signer } = await loadOrCreateDevSigner(devCaDir(dataDir));
  if (!usePostgres) await database.close();
  return {
    dataDir,
    signer,
    env: usePostgres ? { DATABASE_URL: database.location } : {},
    withDatabase: async (read) => {
      if (usePostgres) return read(database.db);
      const reopened = await openDatabase({ dataDir });
      try {
        return await read(reopened.db);
      } finally {
        await reopened.close();
      }
    },
    dispose: async () => {
      if (usePostgres) await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPgliteIn(dataDir: string) {
  // The initialized template: a cold initdb takes tens of seconds on a busy machine.
  const template = await createPgliteDataDir();
  await rename(path.join(template, 'postgres'), path.join(dataDir, 'postgres'));
  await rm(template, { recursive: true, force: true });
  const database = await openDatabase({ dataDir });
  await migrateDatabase(database);
  return { ...database, location: dataDir };
}
