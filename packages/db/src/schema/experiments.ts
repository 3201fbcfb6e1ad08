import { type Allocation, DEFAULT_CONVERSION_WINDOW_HOURS } from '@pitchline/core';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { members, merchants } from './accounts';
import { createdAt, id, oneOf, updatedAt } from './columns';
import {
  EXPERIMENT_HISTORY_ACTIONS,
  EXPERIMENT_METRICS,
  EXPERIMENT_MODES,
  EXPERIMENT_SCOPES,
  EXPERIMENT_STATUSES,
} from './values';

/* Pitch experiments: definitions, variants, their history and the layers that share traffic. */

export const experiments = pgTable(
  'experiments',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    /** Stable, human-readable key; it is what events carry (`expKey:variantKey`). */
    key: text('key').notNull(),
    name: text('name').notNull(),
    hypothesis: text('hypothesis').notNull().default(''),
    scope: text('scope', { enum: EXPERIMENT_SCOPES }).notNull(),
    /** Product id, category name or launch pitch id, depending on `scope`. */
    scopeValue: text('scope_value').notNull(),
    status: text('status', { enum: EXPERIMENT_STATUSES }).notNull().default('draft'),
    primaryMetric: text('primary_metric', { enum: EXPERIMENT_METRICS }).notNull(),
    secondaryMetrics: jsonb('secondary_metrics').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    guardrailMetrics: jsonb('guardrail_metrics').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** How long after exposure an order still counts for the variant heard; core's default, one value. */
    conversionWindowHours: integer('conversion_window_hours')
      .notNull()
      .default(DEFAULT_CONVERSION_WINDOW_HOURS),
    /** Hashed with the user id for assignment; a new salt reshuffles users. */
    salt: text('salt').notNull(),
    /** Experiments in one layer split traffic between them, so a user is in at most one of them. */
    layer: text('layer').notNull().default('default'),
    holdoutPercent: integer('holdout_percent').notNull().default(0),
    mode: text('mode', { enum: EXPERIMENT_MODES }).notNull().default('fixed'),
    /** Bandit mode: the least traffic share a variant keeps (core's definition checks weights against it). */
    banditFloor: doublePrecision('bandit_floor').notNull().default(0.05),
    /** Results winsorise revenue per user at this quantile of buyers' revenue (core's definition); null: no cap. */
    revenueCapQuantile: doublePrecision('revenue_cap_quantile'),
    /**
     * Which variant owns each assignment bucket (core's allocation.ts): written at start and in the
     * same transaction as every weight change after it, so a change moves the fewest users possible.
     * Null for drafts and for experiments started before it existed, whose split is the contiguous
     * layout of their weights; core reproduces exactly that (`newAllocation`) until the first change.
     */
    allocation: jsonb('allocation').$type<Allocation>(),
    /**
     * The variant version shipped at conclusion: the skill then speaks it to everyone in the
     * experiment's scope, without exposures (packages/skill/src/experiments/shipped.ts).
     */
    shippedVariantId: uuid('shipped_variant_id').references((): AnyPgColumn => experimentVariants.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    concludedAt: timestamp('concluded_at', { withTimezone: true }),
  },
  (t) => [
    unique('experiments_merchant_key_unique').on(t.merchantId, t.key),
    index('experiments_merchant_status_idx').on(t.merchantId, t.status),
    check('experiments_key_check', sql`${t.key} ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`),
    check('experiments_scope_check', oneOf(t.scope, EXPERIMENT_SCOPES)),
    check('experiments_status_check', oneOf(t.status, EXPERIMENT_STATUSES)),
    check('experiments_primary_metric_check', oneOf(t.primaryMetric, EXPERIMENT_METRICS)),
    check('experiments_mode_check', oneOf(t.mode, EXPERIMENT_MODES)),
    check('experiments_holdout_check', sql`${t.holdoutPercent} between 0 and 100`),
    check('experiments_bandit_floor_check', sql`${t.banditFloor} > 0 and ${t.banditFloor} <= 0.5`),
    check(
      'experiments_revenue_cap_quantile_check',
      sql`${t.revenueCapQuantile} is null or (${t.revenueCapQuantile} > 0.5 and ${t.revenueCapQuantile} < 1)`,
    ),
    // The lifecycle's timestamps arrive with it: a running experiment has started, a concluded one shipped.
    check(
      'experiments_lifecycle_check',
      sql`(${t.status} = 'draft' or ${t.startedAt} is not null)
        and (${t.status} not in ('stopped', 'concluded') or ${t.stoppedAt} is not null)
        and (${t.status} <> 'concluded' or (${t.concludedAt} is not null and ${t.shippedVariantId} is not null))`,
    ),
    check('experiments_window_check', sql`${t.conversionWindowHours} between 1 and 8760`),
    check(
      'experiments_allocation_check',
      sql`${t.allocation} is null or (jsonb_typeof(${t.allocation}) = 'object' and jsonb_typeof(${t.allocation}->'runs') = 'array')`,
    ),
    check(
      'experiments_metrics_check',
      sql`jsonb_typeof(${t.secondaryMetrics}) = 'array' and jsonb_typeof(${t.guardrailMetrics}) = 'array'`,
    ),
  ],
);

/**
 * Pitch variants. Editing a running variant inserts a new version row and retires the old one, so
 * every exposure stays attributable to the exact words spoken.
 */
export const experimentVariants = pgTable(
  'experiment_variants',
  {
    id: id(),
    experimentId: uuid('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** Pitch template: SSML fragment with {{placeholders}}, validated by core's validatePitchTemplate. */
    template: text('template').notNull(),
    /** Relative traffic weight among the experiment's live variants. */
    weight: integer('weight').notNull().default(1),
    isControl: boolean('is_control').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    unique('experiment_variants_version_unique').on(t.experimentId, t.key, t.version),
    // One live version per variant key, and at most one live control per experiment.
    uniqueIndex('experiment_variants_live_key_idx')
      .on(t.experimentId, t.key)
      .where(sql`${t.retiredAt} is null`),
    uniqueIndex('experiment_variants_live_control_idx')
      .on(t.experimentId)
      .where(sql`${t.isControl} and ${t.retiredAt} is null`),
    check('experiment_variants_key_check', sql`${t.key} ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`),
    check('experiment_variants_weight_check', sql`${t.weight} >= 0`),
    check('experiment_variants_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * Audit trail: who started, edited, stopped or shipped what, and when. `variant_version` is a
 * running variant's new wording (one row per variant, old and new version in `details`); `update`
 * is any other edit, with before/after values in `details`.
 */
export const experimentHistoryEntries = pgTable(
  'experiment_history',
  {
    id: id(),
    experimentId: uuid('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    actorMemberId: uuid('actor_member_id').references(() => members.id, { onDelete: 'set null' }),
    /**
     * The actor's e-mail when they acted, kept here because the reference above is nulled when the
     * member is removed: the audit trail must still say who. Null only for the system.
     */
    actorEmail: text('actor_email'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action', { enum: EXPERIMENT_HISTORY_ACTIONS }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('experiment_history_experiment_at_idx').on(t.experimentId, t.at),
    check('experiment_history_action_check', oneOf(t.action, EXPERIMENT_HISTORY_ACTIONS)),
    check('experiment_history_details_check', sql`jsonb_typeof(${t.details}) = 'object'`),
    check(
      'experiment_history_actor_email_check',
      sql`${t.actorMemberId} is null or ${t.actorEmail} is not null`,
    ),
  ],
);

/**
 * How a layer's buckets are divided between its running experiments (core's allocation.ts; the keys
 * are experiment keys). Rewritten in the same transaction as every start and stop in the layer, so
 * only the users who must change experiment do: starting a third experiment takes its third from
 * the other two instead of re-dividing the layer. No row: nothing has started or stopped in the layer
 * since the table existed, and its experiments split it as before (equal contiguous shares in start
 * order, core's statelessLayerAllocation); the row goes when the last experiment of the layer stops.
 */
export const experimentLayers = pgTable(
  'experiment_layers',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    layer: text('layer').notNull(),
    allocation: jsonb('allocation').$type<Allocation>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.layer] }),
    check(
      'experiment_layers_allocation_check',
      sql`jsonb_typeof(${t.allocation}) = 'object' and jsonb_typeof(${t.allocation}->'runs') = 'array'`,
    ),
  ],
);
