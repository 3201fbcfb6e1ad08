import {
  amazonConfigFrom,
  createDashboardApp,
  firstOwnerSetupLink,
  setupRoutes,
  webhookPolicyFor,
} from '@pitchline/dashboard-api';
import { clientAddressFrom } from '@pitchline/runtime/client-address';
import { errorHandler } from '@pitchline/runtime/errors';
import type { Deployable } from '@pitchline/runtime/lifecycle';
import type { Logger } from '@pitchline/runtime/logger';
import { createMetricsRegistry } from '@pitchline/runtime/metrics';
import { createServiceApp } from '@pitchline/runtime/service-app';
import { createSpaRoutes } from '@pitchline/runtime/spa';
import { openStores } from '@pitchline/runtime/stores';
import type { DashboardServerConfig } from './env';

/**
 * The dashboard on its own: the API under /api and the SPA's built files, with /healthz, /readyz and
 * /metrics. It records no events (the skill endpoints do), so it keeps no event log.
 */
export async function startDashboardServer(
  env: DashboardServerConfig,
  logger: Logger,
): Promise<Deployable & { setupLink: string | null }> {
  const registry = createMetricsRegistry();
  const stores = await openStores(env, { logger, registry, recordsEvents: false });
  const { app, drain } = createServiceApp(env, { registry, checks: stores.readinessChecks });
  app.route(
    '/api',
    createDashboardApp({
      storesReady: stores.ready,
      db: stores.database.db,
      ch: stores.ch,
      allowedOrigins: env.PUBLIC_URL ? [env.PUBLIC_URL] : [],
      secureCookies: env.PUBLIC_URL?.startsWith('https:') ? true : 'auto',
      stripeConfigured: env.PAYMENTS === 'stripe',
      clientIp: clientAddressFrom(env.TRUST_PROXY),
      amazon: await amazonConfigFrom(env, {
        publicUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
        dataDir: env.dataDir,
      }),
      alertWebhooks: webhookPolicyFor(env.NODE_ENV === 'production'),
    }),
  );
  app.route('/', setupRoutes({ db: stores.database.db }));
  app.route('/', createSpaRoutes({ distDir: env.distDir }));
  app.onError(errorHandler(logger));
  // No merchant yet: the first owner comes from a one-time link (or the create-owner CLI).
  const setupLink = await firstOwnerSetupLink(
    stores.database.db,
    env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
  );
  return {
    app,
    setupLink,
    drain,
    close: () => stores.close(),
  };
}
