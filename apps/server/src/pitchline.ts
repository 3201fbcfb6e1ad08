import type { ClickHouseHandle, EventWriter } from '@pitchline/analytics';
import {
  amazonConfigFrom,
  createDashboardApp,
  firstOwnerSetupLink,
  setupRoutes,
} from '@pitchline/dashboard-api';
import { type Database, merchantsInPaymentMode, type SeedDemoResult, seedDemo } from '@pitchline/db';
import { alertsJob, rebalanceBandits, startScheduler } from '@pitchline/jobs';
import { webhookPolicyFor } from '@pitchline/jobs/alerts';
import { clientAddressFrom } from '@pitchline/runtime/client-address';
import { errorHandler } from '@pitchline/runtime/errors';
import type { Logger } from '@pitchline/runtime/logger';
import { createMetricsRegistry } from '@pitchline/runtime/metrics';
import { createServiceApp } from '@pitchline/runtime/service-app';
import { createSpaRoutes } from '@pitchline/runtime/spa';
import { openStores } from '@pitchline/runtime/stores';
import type { HistoryResult } from '@pitchline/simulation';
import { createRejectionTally, createSkillFromConfig, resolveUserIdHashKey } from '@pitchline/skill/wiring';
import type { Hono } from 'hono';
import type { ServerConfig } from './env';

export type Pitchline = {
  app: Hono;
  /** The open stores, for tools (simulator, benchmarks) that run inside this process. */
  stores: { database: Database; ch: ClickHouseHandle; events: EventWriter };
  /** Set when this start seeded the demo merchant (first run of an empty DATA_DIR). */
  seeded: SeedDemoResult | null;
  /**
   * Starts replaying the demo history in the background when it is pending (see
   * @pitchline/simulation/demo prepareDemoHistory); null when nothing is pending or SEED_DEMO is off.
   */
  startDemoHistory(): Promise<HistoryResult | null> | null;
  /** A one-time link that creates the first owner, when this start found no merchant (else null). */
  setupLink: string | null;
  /** Stops new work: /readyz turns 503 so a load balancer drains this instance first. */
  drain(): void;
  /** Writes the refused Alexa requests counted so far (one row per merchant, reason and minute). */
  flushRejections(): Promise<void>;
  /** Flushes recorded events to ClickHouse and closes both stores. Call after the HTTP server stopped. */
  close(): Promise<void>;
};

/**
 * The all-in-one process of the embedded mode: opens the stores the environment names (embedded chDB +
 * PGlite by default), seeds the demo on a first development start, and mounts the skill, the dashboard
 * API and the dashboard's built files in one Hono app.
 */
export async function startPitchline(env: ServerConfig, logger: Logger): Promise<Pitchline> {
  const registry = createMetricsRegistry();
  const stores = await openStores(env, { logger, registry, recordsEvents: true });
  const { database, ch } = stores;
  const { events } = stores;

  const seeded = env.SEED_DEMO ? await seedDemo(database.db) : null;
  // Loaded only when the demo is on: a server without it never imports the shopper simulation.
  const demoHistory = seeded
    ? await (await import('@pitchline/simulation/demo')).prepareDemoHistory({
        dataDir: env.dataDir,
        seeded,
        db: database.db,
        ch,
        events: { record: (event) => events.record(event), flush: () => events.flush() },
        migrationsApplied: stores.migrationsApplied,
        userIdHashKey: () => resolveUserIdHashKey(env),
        logger,
      })
    : null;
  const publicUrl = env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
  // No merchant and no demo (production's first start): the first owner comes from this link or the
  // create-owner CLI, never from default credentials.
  const setupLink = await firstOwnerSetupLink(database.db, publicUrl);
  if (env.NODE_ENV === 'production') {
    // Production builds no simulated gateway (skill wiring): these merchants' checkouts are refused.
    const simulated = await merchantsInPaymentMode(database.db, 'simulated');
    if (simulated.length > 0) {
      logger.warn(
        { merchants: simulated },
        'merchants in simulated payment mode cannot check out in production; switch them to stripe in Settings',
      );
    }
  }

  // Bandit experiments shift traffic as evidence arrives; every change is kept in their history. Among
  // instances sharing PostgreSQL only the scheduler lock's holder runs it, once per period (job_runs).
  const scheduler = startScheduler({
    database,
    logger,
    jobs: [
      {
        name: 'rebalance-bandits',
        intervalMs: env.BANDIT_REBALANCE_SECONDS * 1000,
        ready: stores.analyticsMigrated,
        run: () => rebalanceBandits({ db: database.db, ch, logger }),
      },
      // Alert rules are evaluated, and their webhooks sent, by the same one instance (README "Alerts").
      alertsJob({
        db: database.db,
        ch,
        intervalSeconds: env.ALERTS_EVALUATE_SECONDS,
        production: env.NODE_ENV === 'production',
        // Not held back by pending analytics migrations: with ClickHouse down at start the event log
        // backs up, which is what an event-log rule is for; rules on window metrics fail meanwhile, and
        // change nothing, until it is back.
        eventLogBacklog: () => events.stats().queued,
        publicUrl,
        logger,
      }),
    ],
  });

  const rejections = createRejectionTally({ recordEvent: (event) => events.record(event), logger, registry });

  const { app, drain } = createServiceApp(env, { registry, checks: stores.readinessChecks });
  app.route(
    '/api',
    createDashboardApp({
      storesReady: stores.ready,
      db: database.db,
      ch,
      // The public URL is the origin browsers send when a proxy in front rewrites the Host.
      allowedOrigins: env.PUBLIC_URL ? [env.PUBLIC_URL] : [],
      secureCookies: env.PUBLIC_URL?.startsWith('https:') ? true : 'auto',
      // env.ts requires both Stripe keys with PAYMENTS=stripe: only then may a merchant choose real payments.
      stripeConfigured: env.PAYMENTS === 'stripe',
      // The socket's peer, or behind proxies named in TRUST_PROXY the address they report.
      clientIp: clientAddressFrom(env.TRUST_PROXY),
      // With LWA_CLIENT_ID/SECRET owners prove control of a skill through their Amazon account.
      amazon: await amazonConfigFrom(env, { publicUrl, dataDir: env.dataDir }),
      // Loopback webhooks (a local receiver) outside production only; private addresses never.
      alertWebhooks: webhookPolicyFor(env.NODE_ENV === 'production'),
    }),
  );
  app.route(
    '/',
    await createSkillFromConfig({
      config: env,
      db: database.db,
      recordEvent: (event) => events.record(event),
      logger,
      rejections,
      registry,
      publicUrl,
    }),
  );
  app.route('/', setupRoutes({ db: database.db }));
  // Last: the dashboard's built files and its client-side routes take what no route above claimed.
  app.route('/', createSpaRoutes({ distDir: env.dashboardDistDir }));
  app.onError(errorHandler(logger));

  return {
    app,
    stores: { database, ch, events },
    seeded: seeded?.created ? seeded : null,
    setupLink,
    startDemoHistory: () => demoHistory?.start() ?? null,
    drain,
    flushRejections: () => rejections.flush(),
    close: async () => {
      await scheduler.close();
      await demoHistory?.close();
      // Before the stores close: the current minute's counts go out with the last events.
      rejections.stop();
      await rejections.flush();
      await stores.close();
    },
  };
}
