import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DevSigner, loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { migrateDatabase, openDatabase, type PitchlineDb, seedDemo } from '@pitchline/db';
import { createPgliteDataDir, openTestDatabase, postgresUnavailableReason } from '@pitchline/db/testing';
import { devCaDir } from '@pitchline/runtime/skill';

const serverDir = path.resolve(import.meta.dirname, '..', '..');

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

export type ServerProcess = SpawnedServer & {
  url: string;
  /**
   * SIGTERM and wait; resolves with the exit code (0 when it drained and flushed cleanly). A server still
   * running after `timeoutMs` is SIGKILLed (code null), so a hung shutdown fails a test instead of hanging it.
   */
  stop(timeoutMs?: number): Promise<number | null>;
};

export type SpawnedServer = {
  child: ChildProcess;
  /** stdout and stderr together, as they arrived. */
  output(): string;
  /** Resolves on 'close', not 'exit': 'exit' can fire before the last output chunk is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** The real entry (src/main.ts) in a child process, as is: `env` over this process's, logging at warn. */
export function spawnServer(env: Record<string, string>): SpawnedServer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** The real entry (src/main.ts) in a child process, on an OS-chosen port; resolves once /readyz is 200 (unless `ready: false`). */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  options: { ready?: boolean } = {},
): Promise<ServerProcess> {
  const { child, output, exited } = spawnServer({
    SEED_DEMO: 'false',
    ...env,
    DATA_DIR: dataDir,
    PORT: '0',
  });
  let exitedEarly = false;
  exited.then(() => {
    exitedEarly = true;
  });
  try {
    const url = await waitFor(
      () => {
        if (exitedEarly) throw new Error('the server exited while starting');
        return /running at (http:\/\/\S+)/.exec(output())?.[1];
      },
      60_000,
      'server URL',
    );
    // A server whose analytics store is down answers but never reports ready: callers say so.
    if (options.ready !== false) {
      await waitFor(
        async () => ((await fetch(`${url}/readyz`).catch(() => null))?.status === 200 ? true : undefined),
        30_000,
        'server ready',
      );
    }
    return {
      child,
      url,
      output,
      exited,
      stop: async (timeoutMs = 40_000) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const { code } = await exited;
        clearTimeout(timer);
        return code;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; server output:\n${output()}`);
  }
}

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
