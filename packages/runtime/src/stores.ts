import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type ClickHouseHandle,
  clickHouseInserter,
  createClickHouse,
  EventWriter,
  migrateClickHouse,
} from '@pitchline/analytics';
import {
  collectGarbage,
  type Database,
  LOCK_KEYS,
  migrateDatabase,
  openDatabase,
  withAdvisoryLock,
} from '@pitchline/db';
import type { Registry } from 'prom-client';
import type { StoresConfig } from './env-schema';
import type { Logger } from './logger';
import type { ReadinessCheck } from './ops-routes';
import { retryForever } from './retry';

export type Stores<RecordsEvents extends boolean = boolean> = {
  database: Database;
  ch: ClickHouseHandle;
  /** The durable event log shipping to ClickHouse; absent for a deployable that only reads. */
  events: RecordsEvents extends true ? EventWriter : undefined;
  /** Resolves once the ClickHouse migrations are applied (they are retried until then). */
  migrationsApplied: Promise<void>;
  analyticsMigrated(): boolean;
  /** What /readyz asks: both stores answer and the analytics migrations are applied. */
  readinessChecks: ReadinessCheck[];
  ready(): Promise<boolean>;
  /** Flushes the event log (bounded when ClickHouse is down) and closes both stores. */
  close(): Promise<void>;
};

/**
 * Opens the stores the config names (embedded chDB + PGlite by default), applies the relational
 * migrations before answering anything, and the analytics migrations in the background: ClickHouse
 * being down must not stop the skill from answering, so events wait in the write-ahead log and /readyz
 * reports not ready until the migrations are applied.
 */
export async function openStores<RecordsEvents extends boolean>(
  config: StoresConfig,
  deps: { logger: Logger; registry: Registry; recordsEvents: RecordsEvents },
): Promise<Stores<RecordsEvents>> {
  const { logger } = deps;
  await mkdir(config.dataDir, { recursive: true });
  const open = () =>
    openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
      onPoolError: (error) => logger.error({ err: error }, 'postgres pool error'),
    });
  let opened: Database | null = await open();
  await migrateDatabase(opened);
  if (opened.created) {
    // A new embedded PGlite keeps the memory initdb and the migrations grew (Database.created): closed,
    // made unreachable and collected, then reopened, the server holds ~660 MB RSS after its first start instead of ~1 GB.
    await opened.close();
    opened = null;
    await collectGarbage();
    opened = await open();
  }
  const database: Database = opened;
  logger.info({ store: database.kind }, 'relational store ready');

  const ch = createClickHouse({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    dataDir: config.dataDir,
    cluster: config.CLICKHOUSE_CLUSTER,
  });
  let analyticsMigrated = false;
  let migrationsDone: () => void = () => {};
  let migrationsAbandoned: (error: Error) => void = () => {};
  const migrationsApplied = new Promise<void>((resolve, reject) => {
    migrationsDone = resolve;
    migrationsAbandoned = reject;
  });
  migrationsApplied.catch(() => {});
  const migrations = retryForever(
    async () => {
      // Instances starting together against one ClickHouse take turns (a PostgreSQL advisory lock); the
      // later ones find the migrations recorded and apply nothing.
      await withAdvisoryLock(database, LOCK_KEYS.analyticsMigrations, () => migrateClickHouse(ch));
      analyticsMigrated = true;
      migrationsDone();
      logger.info({ store: ch.mode }, 'analytics store ready');
    },
    (error, delayMs) =>
      logger.warn({ err: error, retryInMs: delayMs }, 'analytics migrations failed; retrying'),
  );

  let events: EventWriter | undefined;
  if (deps.recordsEvents) {
    const insertIntoClickHouse = clickHouseInserter(ch);
    events = new EventWriter({
      ch,
      walDir: path.join(config.dataDir, 'event-log'),
      maxLogBytes: config.EVENT_LOG_MAX_BYTES,
      registry: deps.registry,
      logger,
      // Nothing reaches ClickHouse before the migrations are applied: a migration that backfills a rollup
      // of sums from the stored events (0005) is exact only if no event is inserted while it runs, and
      // they run in the background while this writer already ships its backlog. Meanwhile events wait in
      // the durable log, which is what it is for. Any other writer into `events` must likewise migrate first.
      insert: async (batch) => {
        await migrationsApplied;
        return insertIntoClickHouse(batch);
      },
    });
    await events.start();
  }

  const readinessChecks: ReadinessCheck[] = [
    { name: 'postgres', check: () => database.ping() },
    { name: 'clickhouse', check: () => ch.ping() },
    { name: 'migrations', check: async () => analyticsMigrated },
  ];
  return {
    database,
    ch,
    events: events as Stores<RecordsEvents>['events'],
    migrationsApplied,
    analyticsMigrated: () => analyticsMigrated,
    readinessChecks,
    ready: async () => analyticsMigrated && (await database.ping()) && (await ch.ping()),
    close: async () => {
      migrations.cancel();
      // Unblocks a shipment waiting for migrations that will not finish now; its segment stays in the log.
      migrationsAbandoned(new Error('shutting down before the analytics migrations were applied'));
      // A ClickHouse that is down must not hold the shutdown forever: what was not shipped stays in the
      // write-ahead log and the next start ships it. Without migrations nothing can ship: no wait at all.
      await events?.close({ timeoutMs: analyticsMigrated ? 10_000 : 0 });
      await Promise.allSettled([ch.close(), database.close()]);
    },
  };
}
