import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ClickHouseHandle,
  clickHouseInserter,
  createClickHouse,
  EventWriter,
  migrateClickHouse,
} from '@pitchline/analytics';
import { createDashboardApp } from '@pitchline/dashboard';
import {
  type Database,
  merchantsInPaymentMode,
  migrateDatabase,
  openDatabase,
  type SeedDemoResult,
  seedDemo,
} from '@pitchline/db';
import { type HistoryResult, recordedDemoSessions, seedDemoHistory } from '@pitchline/simulator';
import { Hono } from 'hono';
import type { ServerConfig } from './env';
import { createOpsRoutes } from './health';
import { rebalanceBandits } from './jobs/rebalance-bandits';
import type { Logger } from './logger';
import { createMetricsRegistry, httpMetrics } from './metrics';
import { createSkillFromConfig, resolveUserIdHashKey } from './skill-wiring';

/** How often bandit experiments get new weights: often enough to follow evidence, rare enough to be cheap. */
const BANDIT_REBALANCE_INTERVAL_MS = 15 * 60_000;

import { createSpaRoutes, dashboardDistDir } from './spa';

export type Pitchline = {
  app: Hono;
  /** The open stores, for tools (simulator, benchmarks) that run inside this process. */
  stores: { database: Database; ch: ClickHouseHandle; events: EventWriter };
  /** Set when this start seeded the demo merchant (first run of an empty DATA_DIR). */
  seeded: SeedDemoResult | null;
  /**
   * When the demo history is pending (this start seeded the demo merchant, or the start that did was
   * stopped before its replay completed): starts replaying 30 days of demo shoppers through the skill's
   * real handlers, in the background, skipping the sessions an interrupted replay already stored, and
   * returns the run (null if it failed); null when nothing is pending. The start line calls it once it
   * serves; close() stops it between sessions. Calling again returns the same run.
   */
  startDemoHistory(): Promise<HistoryResult | null> | null;
  /** Stops new work: /readyz turns 503 so a load balancer drains this instance first. */
  drain(): void;
  /** Flushes recorded events to ClickHouse and closes both stores. Call after the HTTP server stopped. */
  close(): Promise<void>;
};

/**
 * The composition root: opens the stores the environment names (embedded chDB + PGlite by default),
 * applies migrations, seeds demo data on first run, and mounts the skill and dashboard apps in one Hono app.
 */
export async function startPitchline(env: ServerConfig, logger: Logger): Promise<Pitchline> {
  await mkdir(env.dataDir, { recursive: true });
  const registry = createMetricsRegistry();

  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.dataDir,
    onPoolError: (error) => logger.error({ err: error }, 'postgres pool error'),
  });
  await migrateDatabase(database);
  logger.info({ store: database.kind }, 'relational store ready');
  const seeded = env.SEED_DEMO ? await seedDemo(database.db) : null;
  const demoHistoryFile = path.join(env.dataDir, DEMO_HISTORY_FILE);
  // Written before anything else once the merchant is created: a start stopped at any point after this
  // (Ctrl-C during the replay, a crash) leaves it pending, and the next start finishes the replay.
  let demoHistoryMarker = seeded?.created
    ? await writeDemoHistoryMarker(demoHistoryFile, {
        state: 'pending',
        merchantId: seeded.merchantId,
        now: Date.now(),
      })
    : seeded
      ? await readDemoHistoryMarker(demoHistoryFile, logger)
      : undefined;
  if (env.NODE_ENV === 'production') {
    // Production builds no simulated gateway (skill-wiring.ts): these merchants' checkouts are refused.
    const simulated = await merchantsInPaymentMode(database.db, 'simulated');
    if (simulated.length > 0) {
      logger.warn(
        { merchants: simulated },
        'merchants in simulated payment mode cannot check out in production; switch them to stripe in Settings',
      );
    }
  }

  const ch = createClickHouse({
    url: env.CLICKHOUSE_URL,
    username: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    database: env.CLICKHOUSE_DATABASE,
    dataDir: env.dataDir,
    cluster: env.CLICKHOUSE_CLUSTER,
  });
  // ClickHouse being down must not stop the skill from answering: events wait in the write-ahead log,
  // migrations are retried in the background, and /readyz reports not ready until they are applied.
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
      await migrateClickHouse(ch);
      analyticsMigrated = true;
      migrationsDone();
      logger.info({ store: ch.mode }, 'analytics store ready');
    },
    (error, delayMs) =>
      logger.warn({ err: error, retryInMs: delayMs }, 'analytics migrations failed; retrying'),
  );

  const insertIntoClickHouse = clickHouseInserter(ch);
  const events = new EventWriter({
    ch,
    walDir: path.join(env.dataDir, 'event-log'),
    maxLogBytes: env.EVENT_LOG_MAX_BYTES,
    registry,
    logger,
    // Nothing reaches ClickHouse before the migrations are applied: a migration that backfills a rollup of
    // sums from the stored events (0005) is exact only if no event is inserted while it runs, and they run
    // in the background while this writer already ships its backlog. Meanwhile events wait in the durable
    // log, which is what it is for. Any other writer into `events` must likewise migrate first.
    insert: async (batch) => {
      await migrationsApplied;
      return insertIntoClickHouse(batch);
    },
  });
  await events.start();

  // First run (or the rest of a first run's replay that was stopped), in the background: the server
  // answers at once and the dashboard fills up within the minute. close() stops it between sessions, so
  // nothing is left half-recorded.
  const demoHistoryAbort = new AbortController();
  let demoHistory: Promise<HistoryResult | null> | null = null;
  // Bandit experiments shift traffic as evidence arrives; every change is kept in their history.
  const bandits = setInterval(() => {
    if (analyticsMigrated) void rebalanceBandits({ db: database.db, ch, logger });
  }, BANDIT_REBALANCE_INTERVAL_MS);
  bandits.unref();

  const startDemoHistory = () => {
    const marker = demoHistoryMarker;
    if (marker?.state !== 'pending' || demoHistoryAbort.signal.aborted) return demoHistory;
    const { signal } = demoHistoryAbort;
    // This very start created the merchant: nothing of its history can be stored yet, and the replay
    // need not wait for ClickHouse to find that out.
    const resuming = !seeded?.created;
    demoHistory ??= (async () => {
      const result = await seedDemoHistory(
        {
          db: database.db,
          recordEvent: (event) => events.record(event),
          userIdHashKey: await resolveUserIdHashKey(env),
          logger,
        },
        {
          signal,
          // The first start's instant: a resumed replay plays the missing sessions in the same 30 days.
          now: marker.now,
          // Resumed, not wiped and replayed: the sessions a stopped replay stored (its in-flight ones
          // finished: runVisits starts no new session once aborted, and close() waits for them) are skipped
          // by their seeded ids, so nothing is doubled, while a wipe would have to delete events from
          // ClickHouse and every rollup fed by them, and orders from the database, and race the log
          // shipping the stopped run's last events. The log is flushed first so those events are counted.
          // A session cut by a crash (SIGKILL) mid-way stays cut short rather than being played twice.
          ...(resuming
            ? {
                recorded: async (ids: readonly string[]) => {
                  await untilAborted(migrationsApplied, signal);
                  await untilAborted(events.flush(), signal);
                  return recordedDemoSessions(ch, marker.merchantId, ids);
                },
              }
            : {}),
        },
      );
      logger.info(
        {
          sessions: result.stats.sessions,
          skipped: result.skipped,
          planned: result.visits,
          complete: result.complete,
          requests: result.stats.requests,
          orders: result.stats.ordersPlaced,
          ms: Math.round(result.elapsedMs),
        },
        result.complete ? 'demo history replayed' : 'demo history stopped; the next start resumes it',
      );
      if (result.complete) {
        demoHistoryMarker = await writeDemoHistoryMarker(demoHistoryFile, {
          ...marker,
          state: 'complete',
        });
      }
      return result;
    })().catch((error: unknown) => {
      if (signal.aborted) {
        logger.info('demo history replay stopped before it began; the next start resumes it');
      } else {
        logger.error({ err: error }, 'demo history replay failed; the next start tries again');
      }
      return null;
    });
    return demoHistory;
  };

  let draining = false;
  const storesReady = async () => analyticsMigrated && (await database.ping()) && (await ch.ping());

  const app = new Hono();
  app.use(httpMetrics(registry));
  app.route(
    '/',
    createOpsRoutes({
      registry,
      isDraining: () => draining,
      checks: [
        { name: 'postgres', check: () => database.ping() },
        { name: 'clickhouse', check: () => ch.ping() },
        { name: 'migrations', check: async () => analyticsMigrated },
      ],
    }),
  );
  app.route(
    '/api',
    createDashboardApp({
      storesReady,
      db: database.db,
      ch,
      // The public URL is the origin browsers send when a proxy in front rewrites the Host.
      allowedOrigins: env.PUBLIC_URL ? [env.PUBLIC_URL] : [],
      secureCookies: env.PUBLIC_URL?.startsWith('https:') ? true : 'auto',
      // env.ts requires both Stripe keys with PAYMENTS=stripe: only then may a merchant choose real payments.
      stripeConfigured: env.PAYMENTS === 'stripe',
      // The socket's peer (what @hono/node-server's getConnInfo reads); behind a load balancer this is
      // the balancer, so per-IP login limits then count all clients together.
      clientIp: (c) =>
        (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
          ?.remoteAddress,
    }),
  );
  app.route(
    '/',
    await createSkillFromConfig({
      config: env,
      db: database.db,
      recordEvent: (event) => events.record(event),
      logger,
      registry,
      publicUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    }),
  );
  // Last: the dashboard's built files and its client-side routes take what no route above claimed.
  app.route('/', createSpaRoutes({ distDir: dashboardDistDir() }));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  });

  return {
    app,
    stores: { database, ch, events },
    seeded: seeded?.created ? seeded : null,
    startDemoHistory,
    drain: () => {
      draining = true;
    },
    close: async () => {
      migrations.cancel();
      // Unblocks a shipment waiting for migrations that will not finish now; its segment stays in the log.
      migrationsAbandoned(new Error('shutting down before the analytics migrations were applied'));
      clearInterval(bandits);
      demoHistoryAbort.abort();
      await demoHistory;
      // A ClickHouse that is down must not hold the shutdown forever: what was not shipped stays in the
      // write-ahead log and the next start ships it. Without migrations nothing can ship: no wait at all.
      await events.close({ timeoutMs: analyticsMigrated ? 10_000 : 0 });
      await Promise.allSettled([ch.close(), database.close()]);
    },
  };
}

/** In DATA_DIR: whether the demo merchant's history is still to be replayed (see startDemoHistory). */
const DEMO_HISTORY_FILE = 'demo-history.json';

type DemoHistoryMarker = {
  state: 'pending' | 'complete';
  merchantId: string;
  /** When the first start seeded the merchant: the replayed window is the 30 days before its day. */
  now: number;
};

async function readDemoHistoryMarker(file: string, logger: Logger): Promise<DemoHistoryMarker | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let marker: Partial<DemoHistoryMarker> | null = null;
  try {
    marker = JSON.parse(text) as Partial<DemoHistoryMarker> | null;
  } catch {
    // Checked below, with every other shape that is not a marker.
  }
  if (
    marker === null ||
    typeof marker !== 'object' ||
    (marker.state !== 'pending' && marker.state !== 'complete') ||
    typeof marker.merchantId !== 'string' ||
    typeof marker.now !== 'number'
  ) {
    // Never written so (it is replaced whole): someone edited it. The demo is not worth refusing to start.
    logger.warn({ file }, 'not a demo history marker; the demo history is left as it is');
    return undefined;
  }
  return marker as DemoHistoryMarker;
}

/** Replaced whole (written aside, then renamed): a crash never leaves half a marker. */
async function writeDemoHistoryMarker(file: string, marker: DemoHistoryMarker): Promise<DemoHistoryMarker> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(marker)}\n`);
  await rename(`${file}.tmp`, file);
  return marker;
}

/** The promise, or an AbortError as soon as the signal fires (a wait on ClickHouse must not hold a shutdown). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function retryForever(task: () => Promise<void>, onError: (error: unknown, delayMs: number) => void) {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = (delayMs: number) => {
    task().catch((error) => {
      if (cancelled) return;
      onError(error, delayMs);
      timer = setTimeout(() => attempt(Math.min(delayMs * 2, 30_000)), delayMs);
    });
  };
  attempt(500);
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
