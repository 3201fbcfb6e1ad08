import { alertsJob, rebalanceBandits, startScheduler } from '@pitchline/jobs';
import { errorHandler } from '@pitchline/runtime/errors';
import type { Deployable } from '@pitchline/runtime/lifecycle';
import type { Logger } from '@pitchline/runtime/logger';
import { createMetricsRegistry } from '@pitchline/runtime/metrics';
import { createServiceApp } from '@pitchline/runtime/service-app';
import { openStores } from '@pitchline/runtime/stores';
import { createRejectionTally, createSkillFromConfig } from '@pitchline/skill/wiring';
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
      alertsJob({
        db: stores.database.db,
        ch: stores.ch,
        intervalSeconds: env.ALERTS_EVALUATE_SECONDS,
        production: env.NODE_ENV === 'production',
        // Not held back by pending analytics migrations: with ClickHouse down at start the event log
        // backs up, which is what an event-log rule is for; rules on window metrics fail meanwhile, and
        // change nothing, until it is back.
        eventLogBacklog: () => events.stats().queued,
        publicUrl: env.PUBLIC_URL,
        logger,
      }),
    ],
  });
  const rejections = createRejectionTally({ recordEvent: (event) => events.record(event), logger, registry });
  const { app, drain } = createServiceApp(env, { registry, checks: stores.readinessChecks });
  app.route(
    '/',
    await createSkillFromConfig({
      config: env,
      db: stores.database.db,
      recordEvent: (event) => events.record(event),
      logger,
      rejections,
      registry,
      publicUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    }),
  );
  app.onError(errorHandler(logger));
  return {
    app,
    drain,
    close: async () => {
      await scheduler.close();
      // Before the stores close: the current minute's refused-request counts go out with the last events.
      rejections.stop();
      await rejections.flush();
      await stores.close();
    },
  };
}
