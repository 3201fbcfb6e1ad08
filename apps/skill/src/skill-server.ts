import { rebalanceBandits, startScheduler } from '@pitchline/jobs';
import type { Deployable } from '@pitchline/runtime/lifecycle';
import type { Logger } from '@pitchline/runtime/logger';
import { createMetricsRegistry, httpMetrics } from '@pitchline/runtime/metrics';
import { createOpsRoutes } from '@pitchline/runtime/ops';
import { openStores } from '@pitchline/runtime/stores';
import { createSkillFromConfig } from '@pitchline/skill/wiring';
import { Hono } from 'hono';
import type { SkillServerConfig } from './env';

/**
 * The skill endpoint alone: POST /alexa, POST /webhooks/stripe (and the simulated payment page outside
 * production), with /healthz, /readyz and /metrics. It records every turn through its own event log.
 */
export async function startSkillServer(env: SkillServerConfig, logger: Logger): Promise<Deployable> {
  const registry = createMetricsRegistry();
  const stores = await openStores(env, { logger, registry, recordsEvents: true });
  const { events } = stores;
  // N of these share PostgreSQL: the scheduler lock's holder alone rebalances bandits, once per period.
  const scheduler = startScheduler({
    database: stores.database,
    logger,
    jobs: [
      {
        name: 'rebalance-bandits',
        intervalMs: env.BANDIT_REBALANCE_SECONDS * 1000,
        ready: stores.analyticsMigrated,
        run: () => rebalanceBandits({ db: stores.database.db, ch: stores.ch, logger }),
      },
    ],
  });
  let draining = false;
  const app = new Hono();
  app.use(httpMetrics(registry));
  app.route('/', createOpsRoutes({ registry, isDraining: () => draining, checks: stores.readinessChecks }));
  app.route(
    '/',
    await createSkillFromConfig({
      config: env,
      db: stores.database.db,
      recordEvent: (event) => events.record(event),
      logger,
      registry,
      publicUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    }),
  );
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  });
  return {
    app,
    drain: () => {
      draining = true;
    },
    close: async () => {
      await scheduler.close();
      await stores.close();
    },
  };
}
