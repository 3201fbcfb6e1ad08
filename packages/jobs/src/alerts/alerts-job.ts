import type { ClickHouseHandle } from '@pitchline/analytics';
import type { Logger } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import type { PeriodicJob } from '../scheduler';
import { evaluateAlerts } from './evaluate-alerts';
import { webhookPolicyFor } from './webhook-url';

/**
 * The alerts evaluator as a scheduler job, the same in every deployable that runs the scheduler (the
 * all-in-one server, the skill instances of the scaled mode): only the lock's holder evaluates.
 */
export function alertsJob(deps: {
  db: PitchlineDb;
  ch: ClickHouseHandle;
  intervalSeconds: number;
  production: boolean;
  /** This instance's event log backlog (events not yet in ClickHouse), for event_log_backlog rules. */
  eventLogBacklog?: () => number;
  publicUrl?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
}): PeriodicJob {
  const policy = webhookPolicyFor(deps.production);
  return {
    name: 'evaluate-alerts',
    intervalMs: deps.intervalSeconds * 1000,
    run: () =>
      evaluateAlerts({
        db: deps.db,
        ch: deps.ch,
        policy,
        eventLogBacklog: deps.eventLogBacklog,
        dashboardUrl: deps.publicUrl ? new URL('/alerts', deps.publicUrl).toString() : undefined,
        logger: deps.logger,
      }),
  };
}
