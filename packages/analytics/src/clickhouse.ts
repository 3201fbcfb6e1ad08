import { join, resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { type ChdbConnection, createChdbConnection } from 'chdb/connection';

export interface ClickHouseConfig {
  /** A ClickHouse server's HTTP(S) URL; without it, ClickHouse runs in-process (chDB). */
  url?: string;
  username?: string;
  password?: string;
  database: string;
  /** chDB keeps its data under `${dataDir}/clickhouse`. */
  dataDir: string;
  /** With a cluster name, DDL runs `ON CLUSTER` with Replicated + Distributed tables. */
  cluster?: string;
}

export interface ClickHouseHandle {
  client: ClickHouseClient;
  mode: 'chdb' | 'server';
  database: string;
  cluster?: string;
  /** Settles once the database exists (the factory creates it if missing); rejects if that failed. */
  ready: Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class ChdbPathConflictError extends Error {
  override name = 'ChdbPathConflictError';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Database and cluster names are spliced into DDL, so only plain identifiers are accepted. */
export function assertIdentifier(kind: string, value: string): void {
  if (!IDENTIFIER.test(value))
    throw new Error(`${kind} must be a plain identifier, got ${JSON.stringify(value)}`);
}

/**
 * libchdb binds one data directory per process, and a second Session on another path would either fail
 * deep inside the engine or silently use the first one. So the first path opened wins for the life of the
 * process, and every handle on that path shares one client (one Session); it is closed with the last handle.
 */
let chdbPath: string | undefined;
let chdbShared: { client: ClickHouseClient; connection: ChdbConnection; refs: number } | undefined;
const chdbConnections = new WeakMap<ClickHouseClient, ChdbConnection>();

/**
 * The chDB connection behind an embedded handle, for its zero-copy raw insert; undefined for a server.
 * Only bulk ingest uses it: everything else goes through the shared client API.
 */
export function chdbConnectionOf(handle: ClickHouseHandle): ChdbConnection | undefined {
  return handle.mode === 'chdb' ? chdbConnections.get(handle.client) : undefined;
}

function acquireChdbClient(path: string): ClickHouseClient {
  if (chdbPath !== undefined && chdbPath !== path) {
    throw new ChdbPathConflictError(
      `chDB is already bound to ${chdbPath} in this process; libchdb allows one data directory per process ` +
        `(asked for ${path}). Use one dataDir per process and a database per tenant/test instead.`,
    );
  }
  chdbPath = path;
  if (!chdbShared) {
    const connection = createChdbConnection({ path });
    // `connection` is the client's (experimental) backend hook; chdb's class implements its contract.
    const client = createClient({ connection } as Parameters<typeof createClient>[0]);
    chdbConnections.set(client, connection);
    chdbShared = { client, connection, refs: 0 };
  }
  chdbShared.refs++;
  return chdbShared.client;
}

async function releaseChdbClient(): Promise<void> {
  if (!chdbShared) return;
  chdbShared.refs--;
  if (chdbShared.refs > 0) return;
  const { client } = chdbShared;
  chdbShared = undefined;
  await client.close();
}

/**
 * The one factory for ClickHouse access. Same client API and SQL in both modes: queries name tables as
 * `database.table`, because chDB ignores the client's `database` option. The factory is synchronous so that
 * composition roots stay simple; creating the database is started here and awaited through `ready`.
 */
export function createClickHouse(config: ClickHouseConfig): ClickHouseHandle {
  assertIdentifier('database', config.database);
  if (config.cluster !== undefined) assertIdentifier('cluster', config.cluster);
  let closed = false;
  const base = { database: config.database, ...(config.cluster ? { cluster: config.cluster } : {}) };

  if (config.url) {
    const client = createClient({
      url: config.url,
      username: config.username ?? 'default',
      password: config.password ?? '',
      database: config.database,
    });
    const ready = createDatabase(client, base);
    return {
      ...base,
      client,
      mode: 'server',
      ready,
      ping: async () => {
        try {
          await ready;
          return (await client.ping()).success;
        } catch {
          return false;
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await client.close();
      },
    };
  }

  const client = acquireChdbClient(resolve(join(config.dataDir, 'clickhouse')));
  const ready = createDatabase(client, base);
  return {
    ...base,
    client,
    mode: 'chdb',
    ready,
    ping: async () => {
      try {
        await ready;
        return !closed && (await client.ping()).success;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await ready.catch(() => {});
      await releaseChdbClient();
    },
  };
}

function createDatabase(
  client: ClickHouseClient,
  target: { database: string; cluster?: string },
): Promise<void> {
  const ready = client.command({ query: createDatabaseStatement(target) }).then(() => undefined);
  // Callers observe failures through `ready`, `ping()` or `migrateClickHouse`; never as an unhandled rejection.
  ready.catch(() => {});
  return ready;
}

export function createDatabaseStatement(target: { database: string; cluster?: string }): string {
  return `CREATE DATABASE IF NOT EXISTS ${target.database}${onCluster(target)}`;
}

export function onCluster(handle: { cluster?: string }): string {
  return handle.cluster ? ` ON CLUSTER '${handle.cluster}'` : '';
}
