import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { restrictToOwner } from './owner-only';
import { lockDataDir } from './pglite-lock';
import { type Schema, schema } from './tables';

/**
 * What `db.execute()` resolves to on both drivers: node-postgres' QueryResult and PGlite's Results
 * both carry `rows` (and more, which differs between them and so is not promised here).
 */
export interface PitchlineQueryResultHKT extends PgQueryResultHKT {
  type: RowsResult<this['row']>;
}
export interface RowsResult<Row> {
  rows: Row[];
}

/**
 * The one database type the apps use. Both drivers produce a `PgDatabase` over the same schema, so
 * queries, transactions and `db.query.*` are written once and nothing in the apps knows which runs.
 */
export type PitchlineDb = PgDatabase<PitchlineQueryResultHKT, Schema>;
/** The transaction handle `db.transaction(async (tx) => …)` passes. */
export type PitchlineTx = Parameters<Parameters<PitchlineDb['transaction']>[0]>[0];

export interface Database {
  db: PitchlineDb;
  kind: 'pglite' | 'postgres';
  /**
   * True when this open initialized a new PGlite directory. initdb and the first migrations grow PGlite's
   * wasm memory to ~800 MB and a wasm memory never shrinks, so a long-lived process closes such a
   * database once migrated and opens it again (measured with the bundle: ~660 MB RSS after a first
   * start instead of ~1 GB; a restart holds ~560 MB).
   */
  created?: boolean;
  /** True when a trivial query answers; for health checks. Never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; without it an embedded PGlite stores data under `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL (default 10). PGlite is one connection by nature. */
  maxConnections?: number;
  /** Errors of idle pooled connections (server restart, network); without a listener they crash the process. */
  onPoolError?: (error: Error) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir);
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  pool.on('error', options.onPoolError ?? (() => {}));
  const db = drizzleNodePg({ client: pool, schema });
  const database = wrap(db, 'postgres', () => pool.end());
  // Fail at startup, not on the first request, when the server is unreachable.
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  return database;
}

async function openPglite(dataDir: string): Promise<Database> {
  const dir = join(dataDir, 'postgres');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const unlock = await lockDataDir(join(dataDir, 'postgres.lock'));
  let client: PGlite;
  let created = false;
  try {
    created = !existsSync(join(dir, 'PG_VERSION'));
    client = await PGlite.create(dir);
  } catch (error) {
    await unlock();
    throw error;
  }
  try {
    await restrictToOwner(dir);
  } catch (error) {
    await client.close().finally(unlock);
    throw error;
  }
  const db = drizzlePglite({ client, schema });
  const database = wrap(db, 'pglite', async () => {
    try {
      await client.close();
    } finally {
      await unlock();
    }
  });
  return { ...database, created };
}

/**
 * A full garbage collection, for after closing a freshly initialized PGlite (see Database.created) once
 * nothing references it any more: its wasm memory goes now, not at V8's convenience. Node exposes gc() only
 * with --expose-gc; setting the flag at run time and reading gc from a fresh context is the
 * documented-by-use way to get it without asking operators for a node flag.
 */
export async function collectGarbage(): Promise<void> {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Twice, each after a turn of the event loop: the closed instance's last references (pending
    // callbacks) are dropped only then, and the first pass finalizes what the second frees.
    for (let pass = 0; pass < 2; pass++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
  } catch {
    // Only memory is at stake: without gc the old heap goes at V8's next major collection.
  }
}

function wrap(db: PitchlineDb, kind: Database['kind'], closeClient: () => Promise<void>): Database {
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    async ping() {
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      // Closing twice (shutdown hooks, test teardown) must not throw.
      closing ??= closeClient();
      return closing;
    },
  };
}
