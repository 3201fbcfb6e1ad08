import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { createdAt, id, oneOf, updatedAt } from './columns';
import { ALERT_CONDITIONS, ALERT_DELIVERY_KINDS, ALERT_DELIVERY_STATUSES, ALERT_METRICS } from './values';

/*
 * Alerts: a merchant's rules on a metric, the incidents they opened (one open incident per rule at most,
 * which is what makes a rule fire once per incident even if two evaluators ever overlapped), and every
 * webhook delivery with its attempts, for the dashboard's delivery history.
 */

export const alertRules = pgTable(
  'alert_rules',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Which figure the rule watches (ALERT_METRICS). */
    metric: text('metric').notNull(),
    /** above / below a threshold, or rises_by / drops_by a share against the previous window. */
    condition: text('condition').notNull(),
    /** In the metric's unit for above/below (ratios as 0–1, ms); a share (0.3 = 30 %) for changes. */
    threshold: doublePrecision('threshold').notNull(),
    /** The window the metric is computed over, ending at evaluation time. */
    windowMinutes: integer('window_minutes').notNull(),
    webhookUrl: text('webhook_url').notNull(),
    /** The HMAC-SHA256 key deliveries are signed with; shown to the owner once, at creation. */
    signingSecret: text('signing_secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** The last evaluation: when, and the value it saw (null: no data in the window). */
    lastEvaluatedAt: timestamp('last_evaluated_at', { withTimezone: true }),
    lastValue: doublePrecision('last_value'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('alert_rules_merchant_idx').on(t.merchantId, t.createdAt),
    check('alert_rules_metric_check', oneOf(t.metric, ALERT_METRICS)),
    check('alert_rules_condition_check', oneOf(t.condition, ALERT_CONDITIONS)),
    check('alert_rules_name_check', sql`length(${t.name}) between 1 and 100`),
    check('alert_rules_window_check', sql`${t.windowMinutes} between 5 and 10080`),
    check('alert_rules_url_check', sql`length(${t.webhookUrl}) between 8 and 2000`),
  ],
);

/** One stretch of a rule's breach: opened when it starts firing, resolved when it recovers. */
export const alertIncidents = pgTable(
  'alert_incidents',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    openedValue: doublePrecision('opened_value'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedValue: doublePrecision('resolved_value'),
  },
  (t) => [
    // At most one open incident per rule: a second "open" conflicts, so no second firing delivery.
    uniqueIndex('alert_incidents_open_idx').on(t.ruleId).where(sql`${t.resolvedAt} is null`),
    index('alert_incidents_rule_idx').on(t.ruleId, t.openedAt),
  ],
);

/** Every webhook message: its payload, where it stands, how many attempts and the last answer. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id').references(() => alertIncidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** The receiver's last HTTP status, null when no answer came (refused, unreachable, timed out). */
    responseStatus: integer('response_status'),
    /** Why the last attempt failed, in words; null once delivered. */
    error: text('error'),
    /** The JSON body sent (Slack-compatible: text + blocks), kept so a retry sends the same bytes. */
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    /**
     * Until when a sender holds this delivery: a sender claims it before sending, so two evaluators that
     * ever overlapped do not both send it; a sender that crashed leaves a lease that runs out, and the
     * next evaluation sends it.
     */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('alert_deliveries_merchant_idx').on(t.merchantId, t.createdAt),
    // The evaluator's sweep of deliveries a crash left pending.
    index('alert_deliveries_status_idx').on(t.status),
    check('alert_deliveries_kind_check', oneOf(t.kind, ALERT_DELIVERY_KINDS)),
    check('alert_deliveries_status_check', oneOf(t.status, ALERT_DELIVERY_STATUSES)),
    check('alert_deliveries_attempts_check', sql`${t.attempts} >= 0`),
  ],
);
