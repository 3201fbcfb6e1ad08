import type { Logger } from '@pitchline/core';
import {
  type AlertCondition,
  type AlertMetric,
  enabledAlertRules,
  openAlertIncident,
  pruneAlertHistory,
  recordAlertEvaluation,
  resolveAlertIncident,
} from '@pitchline/db';
import { type DeliveryDeps, sendPendingDeliveries } from './deliver';
import { breached, transitionOf } from './judge';
import { alertMessage } from './message';
import { ALERT_METRIC_INFO } from './metric-catalogue';
import { createMetricReader, type MetricSources } from './read-metric';

/*
 * The alerts job: reads each enabled rule's figure, moves its state (ok → firing opens an incident,
 * firing → ok resolves it, each with one delivery queued in the same transaction), then sends what is
 * pending. It runs under the scheduler (@pitchline/jobs scheduler.ts): one instance at a time among those
 * sharing PostgreSQL, one run per period (job_runs); and the store allows one open incident per rule,
 * so even an overlap of two evaluators sends one "firing" per incident.
 */

/** How long the delivery history and resolved incidents are kept (README "Alerts"). */
export const HISTORY_KEPT_MS = 90 * 24 * 3_600_000;

export type EvaluateAlertsDeps = MetricSources &
  Omit<DeliveryDeps, 'db'> & {
    now?: () => Date;
    logger?: Pick<Logger, 'info' | 'warn'>;
    /** Where the dashboard's alerts page is, linked from each message. */
    dashboardUrl?: string;
  };

export type EvaluationOutcome = {
  ruleId: string;
  value: number | null;
  verdict: boolean | null;
  transition: 'fire' | 'recover' | 'none';
};

export async function evaluateAlerts(deps: EvaluateAlertsDeps) {
  const now = deps.now ?? (() => new Date());
  const at = now();
  const read = createMetricReader(deps, at.getTime());
  const outcomes: EvaluationOutcome[] = [];
  for (const { rule, openIncidentId } of await enabledAlertRules(deps.db)) {
    try {
      const metric = rule.metric as AlertMetric;
      const condition = rule.condition as AlertCondition;
      const facts = { ...rule, metric, condition };
      const comparesToPrevious = condition === 'rises_by' || condition === 'drops_by';
      const reading = await read({ ...facts, comparesToPrevious });
      const verdict = breached(facts, reading);
      const transition = transitionOf(openIncidentId !== null, verdict);
      await recordAlertEvaluation(deps.db, rule.id, at, reading.value);
      const message = (kind: 'firing' | 'recovered') =>
        alertMessage({ kind, rule: facts, ...reading, at, dashboardUrl: deps.dashboardUrl });
      if (transition === 'fire') {
        await openAlertIncident(deps.db, rule, at, reading.value, () => message('firing'));
      } else if (transition === 'recover' && openIncidentId) {
        await resolveAlertIncident(deps.db, rule, openIncidentId, at, reading.value, message('recovered'));
      }
      outcomes.push({ ruleId: rule.id, value: reading.value, verdict, transition });
      if (transition !== 'none') {
        deps.logger?.info(
          { ruleId: rule.id, metric, value: reading.value, transition, name: ALERT_METRIC_INFO[metric].name },
          'alert rule changed state',
        );
      }
    } catch (error) {
      // One rule's failure (analytics down, a bad experiment) must not stop the others.
      deps.logger?.warn({ err: error, ruleId: rule.id }, 'alert rule evaluation failed');
    }
  }
  const deliveries = await sendPendingDeliveries(deps);
  await pruneAlertHistory(deps.db, new Date(at.getTime() - HISTORY_KEPT_MS));
  return { outcomes, deliveries };
}
