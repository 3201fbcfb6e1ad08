import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase } from './migrate';
import { type Database, openDatabase } from './open';

/*
 * Throwaway databases for tests, on either backend: PGlite in a temp directory, or a fresh database
 * on a PostgreSQL server (created through `postgresUrl`, dropped on close) so parallel runs never
 * collide. Exported as `@pitchline/db/testing` for other packages' tests.
 */

export type Backend = Database['kind'];

export interface TestDatabase extends Database {
  /** Where it lives: the PGlite directory or the PostgreSQL database URL. */
  location: string;
}

/** Why the PostgreSQL server cannot serve tests, or undefined when it can. */
export async function postgresUnavailableReason(postgresUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${redact(postgresUrl)} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openTestDatabase(
  backend: Backend,
  options: { postgresUrl?: string; migrate?: boolean } = {},
): Promise<TestDatabase> {
  const database =
    backend === 'pglite' ? await openPgliteTest() : await openPostgresTest(options.postgresUrl);
  if (options.migrate ?? true) {
    try {
      await migrateDatabase(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPgliteTest(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'pitchline-db-'));
  const database = await openDatabase({ dataDir: dir });
  return {
    ...database,
    location: dir,
    async close() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTest(postgresUrl: string | undefined): Promise<TestDatabase> {
  if (!postgresUrl) throw new Error('openTestDatabase("postgres") needs postgresUrl');
  const name = `pitchline_t_${randomBytes(6).toString('hex')}`;
  await admin(postgresUrl, `create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), maxConnections: 4 });
  let closed: Promise<void> | undefined;
  return {
    ...database,
    location: url.toString(),
    close() {
      closed ??= database
        .close()
        .then(() => admin(postgresUrl, `drop database if exists ${name} with (force)`));
      return closed;
    },
  };
}

async function admin(postgresUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
