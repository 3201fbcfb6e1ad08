import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { migrateDatabase } from './migrate';
import { type Database, openDatabase, type PitchlineDb } from './open';

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

/**
 * A cold PGlite directory runs initdb, which takes 6–20 s on a busy 2-core machine; opening an
 * initialized one takes about 1 s. So tests copy a directory initialized once per PGlite version and
 * kept as a build cache (node_modules/.cache, like other tools' caches), not in the temp directory.
 */
const TEMPLATE_ROOT = fileURLToPath(new URL('../node_modules/.cache/pitchline-pglite', import.meta.url));

function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (name === '@electric-sql/pglite' && version) return version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

async function pgliteTemplate(): Promise<string> {
  const template = join(TEMPLATE_ROOT, pgliteVersion());
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  await mkdir(TEMPLATE_ROOT, { recursive: true });
  const staging = await mkdtemp(join(TEMPLATE_ROOT, 'staging-'));
  try {
    const client = await PGlite.create(staging);
    await client.close();
    // Atomic publish: a concurrent test process that finished first wins, and ours is discarded.
    await rename(staging, template).catch(() => {});
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return template;
}

/**
 * A temp directory to pass as `dataDir`, its `postgres` subdirectory already initialized. The caller
 * removes it.
 */
export async function createPgliteDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pitchline-db-'));
  try {
    await cp(await pgliteTemplate(), join(dir, 'postgres'), { recursive: true });
    return dir;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function openPgliteTest(): Promise<TestDatabase> {
  const dir = await createPgliteDataDir();
  let database: Database;
  try {
    database = await openDatabase({ dataDir: dir });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
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

/**
 * Every table of the public schema with its row count and an md5 of its rows in a fixed order: two
 * digests are equal exactly when no row was added, removed or changed. For tests that prove a refused
 * request changed nothing. `ignoreColumns` leaves out bookkeeping a test does not judge (e.g. when a
 * credential was last used).
 */
export async function tableDigests(
  db: PitchlineDb,
  ignoreColumns: Record<string, string[]> = {},
): Promise<Record<string, string>> {
  const { rows: tables } = await db.execute<{ name: string }>(
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  if (tables.length === 0) return {};
  // One statement for every table: a test may take a digest around each of hundreds of requests.
  const perTable = tables.map(({ name }) => {
    const ignored = ignoreColumns[name] ?? [];
    const row = ignored.reduce(
      (expr, column) => sql`${expr} - ${column}::text`,
      sql`to_jsonb(${sql.identifier('t')})`,
    );
    return sql`select ${name}::text as name, count(*)::int as n,
        md5(string_agg((${row})::text, '|' order by (${row})::text)) as digest
      from ${sql.identifier(name)} t`;
  });
  const { rows } = await db.execute<{ name: string; n: number; digest: string | null }>(
    sql.join(perTable, sql` union all `),
  );
  const digests: Record<string, string> = {};
  for (const r of rows) digests[r.name] = `${r.n}:${r.digest ?? ''}`;
  return digests;
}
