import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Database } from './open';

/*
 * PostgreSQL session advisory locks, for "one instance at a time" among processes sharing a server:
 * the periodic jobs' scheduler and the ClickHouse migrations. A session lock belongs to a connection, so
 * PostgreSQL releases it when the holder's connection ends — a crashed or killed process included. On
 * PGlite (one process by design) there is nobody to exclude and the lock is trivially held.
 */

/** Keys of the locks (any 64-bit number; these sit beside the relational migrations' own 7_412_551_230_001). */
export const LOCK_KEYS = { scheduler: 7_412_551_230_002, analyticsMigrations: 7_412_551_230_003 } as const;

export type HeldLock = {
  /** False once the connection holding it broke: the lock may then be someone else's. */
  held(): boolean;
  release(): Promise<void>;
};

function poolOf(database: Database): pg.Pool {
  return (database.db as unknown as NodePgDatabase & { $client: pg.Pool }).$client;
}

/**
 * Tries once to take `key` on a connection of its own that keeps it (pg_try_advisory_lock); null when
 * another session holds it. The connection leaves the pool for as long as the lock is held.
 */
export async function tryAdvisoryLock(database: Database, key: number): Promise<HeldLock | null> {
  if (database.kind === 'pglite') return { held: () => true, release: async () => {} };
  const client = await poolOf(database).connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      key,
    ]);
    if (!rows[0]?.locked) {
      client.off('error', onError);
      client.release();
      return null;
    }
  } catch (error) {
    client.off('error', onError);
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    held: () => !broken && !released,
    release: async () => {
      if (released) return;
      released = true;
      client.off('error', onError);
      if (broken) {
        client.release(true);
        return;
      }
      try {
        await client.query('select pg_advisory_unlock($1)', [key]);
        client.release();
      } catch {
        // The session is gone, and its lock with it.
        client.release(true);
      }
    },
  };
}

/** Runs `work` while holding `key`, waiting for it (pg_advisory_lock) when another session has it. */
export async function withAdvisoryLock<T>(
  database: Database,
  key: number,
  work: () => Promise<T>,
): Promise<T> {
  if (database.kind === 'pglite') return work();
  const client = await poolOf(database).connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}
