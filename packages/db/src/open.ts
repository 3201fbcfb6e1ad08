import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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
  try {
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
  return wrap(db, 'pglite', async () => {
    try {
      await client.close();
    } finally {
      await unlock();
    }
  });
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
