import { type Allocation, DEFAULT_CONVERSION_WINDOW_HOURS, newId, ORDER_STATUSES } from '@pitchline/core';
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  char,
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

/*
 * Conventions of this schema:
 * - primary keys are UUIDv7 made by the app (`newId()`), so ids exist before the INSERT (events can
 *   carry them) and stay index-local; `$defaultFn` fills them when a caller leaves them out;
 * - money is integer minor units (bigint read as a JS number, safe to 2^53) beside a char(3) currency;
 * - small closed sets are text + CHECK rather than Postgres enums: adding a value to an enum cannot
 *   run inside a transaction on older servers, a CHECK is replaced in one migration;
 * - every timestamp is `timestamptz`: merchants live in different time zones, storage is UTC.
 */

const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => newId());
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
const money = (name: string) => bigint(name, { mode: 'number' });
const currency = (name = 'currency') => char(name, { length: 3 });

/** A CHECK that a text column holds one of the given values. */
function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.join(
    values.map((v) => sql.raw(`'${v.replaceAll("'", "''")}'`)),
    sql`, `,
  )})`;
}
const isCurrency = (column: AnyPgColumn) => sql`${column} ~ '^[A-Z]{3}$'`;
const isSha256Hex = (column: AnyPgColumn) => sql`${column} ~ '^[0-9a-f]{64}$'`;

export const PAYMENT_MODES = ['simulated', 'stripe'] as const;
export const MEMBER_ROLES = ['owner', 'analyst'] as const;
export const EXPERIMENT_SCOPES = ['product', 'category', 'launch'] as const;
export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped', 'concluded'] as const;
export const EXPERIMENT_METRICS = ['conversion', 'revenue_per_user', 'add_to_cart'] as const;
export const EXPERIMENT_MODES = ['fixed', 'bandit'] as const;
export const EXPERIMENT_HISTORY_ACTIONS = [
  'create',
  'update',
  'variant_version',
  'start',
  'stop',
  'conclude',
] as const;
export type ExperimentHistoryAction = (typeof EXPERIMENT_HISTORY_ACTIONS)[number];
/** API keys read only: a leaked key must not be able to start, stop or ship an experiment. */
export const API_KEY_ROLES = ['analyst'] as const;

export const merchants = pgTable(
  'merchants',
  {
    id: id(),
    name: text('name').notNull(),
    /** IANA zone: days in the dashboard are the merchant's days, not UTC's. */
    timezone: text('timezone').notNull().default('UTC'),
    currency: currency().notNull().default('USD'),
    paymentMode: text('payment_mode', { enum: PAYMENT_MODES }).notNull().default('simulated'),
    /** Dashboard preferences that need no query of their own; parsed with zod by their reader. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    check('merchants_settings_check', sql`jsonb_typeof(${t.settings}) = 'object'`),
    check('merchants_currency_check', isCurrency(t.currency)),
    check('merchants_payment_mode_check', oneOf(t.paymentMode, PAYMENT_MODES)),
    check('merchants_name_check', sql`length(${t.name}) between 1 and 200`),
  ],
);

/** Dashboard users. One member belongs to one merchant. */
export const members = pgTable(
  'members',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    /** Stored lower-cased (the CHECK enforces it) so the unique index makes e-mail case-insensitive. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull().default('analyst'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('members_email_lower_idx').on(sql`lower(${t.email})`),
    index('members_merchant_idx').on(t.merchantId),
    check('members_email_check', sql`${t.email} = lower(${t.email}) and ${t.email} like '%_@_%'`),
    check('members_role_check', oneOf(t.role, MEMBER_ROLES)),
  ],
);

/**
 * Dashboard login sessions. The cookie holds a random token; only its SHA-256 is stored, so a
 * database leak opens no session, and lookup stays one indexed equality.
 */
export const memberSessions = pgTable(
  'member_sessions',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** sha256 hex of the session cookie token. */
    tokenHash: char('token_hash', { length: 64 }).notNull().unique(),
    /**
     * sha256 hex of the session's CSRF token: the browser echoes the token in a header on every
     * write, the server hashes and compares (double submit bound to the session).
     */
    csrfTokenHash: char('csrf_token_hash', { length: 64 }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    userAgent: text('user_agent'),
  },
  (t) => [
    // "Log out everywhere" and the member's session list go by member.
    index('member_sessions_member_idx').on(t.memberId),
    // Expired sessions are swept by expiry.
    index('member_sessions_expires_idx').on(t.expiresAt),
    check('member_sessions_token_hash_check', isSha256Hex(t.tokenHash)),
    check('member_sessions_csrf_hash_check', isSha256Hex(t.csrfTokenHash)),
    check('member_sessions_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * Merchant API keys for reading results from scripts. Shown once at creation; only the SHA-256 of
 * the key is stored. `prefix` (the first characters of the key) lets a member recognise a key in
 * the list without it being usable.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    /** sha256 hex of the whole key. */
    keyHash: char('key_hash', { length: 64 }).notNull().unique(),
    role: text('role', { enum: API_KEY_ROLES }).notNull().default('analyst'),
    /** The member who made it; kept (as null) when that member is removed, so the key's story stays. */
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** Set instead of deleting, so the audit trail keeps which key did what. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('api_keys_merchant_idx').on(t.merchantId),
    check('api_keys_key_hash_check', isSha256Hex(t.keyHash)),
    check('api_keys_role_check', oneOf(t.role, API_KEY_ROLES)),
    check('api_keys_name_check', sql`length(${t.name}) between 1 and 100`),
    check('api_keys_prefix_check', sql`length(${t.prefix}) between 1 and 32`),
  ],
);

/**
 * Failed (or all) login attempts, for rate limiting: one row per attempt under a key such as
 * `email:<address>` or `ip:<address>`; the limiter counts rows of a key inside a time window.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The limiter's query: count(*) where key = $1 and at > now() - window; the sweep deletes by age.
    index('login_attempts_key_at_idx').on(t.key, t.at),
    index('login_attempts_at_idx').on(t.at),
    check('login_attempts_key_check', sql`length(${t.key}) between 1 and 400`),
  ],
);

/** An Alexa skill id routes a request to its merchant. */
export const skills = pgTable(
  'skills',
  {
    id: text('id').primaryKey(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('skills_merchant_idx').on(t.merchantId)],
);

export const products = pgTable(
  'products',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    priceAmount: money('price_amount').notNull(),
    /**
     * The "was" price a sale is measured against (compare-at, as storefronts call it), same currency;
     * null when the product is not on sale. price_amount stays what is charged, so checkout and
     * revenue never read this; pitches say the difference as {{discount}} (core's compareAtDiscount).
     */
    compareAtAmount: money('compare_at_amount'),
    currency: currency().notNull(),
    active: boolean('active').notNull().default(true),
    featured: boolean('featured').notNull().default(false),
    /** Pitch template (SSML fragment with {{placeholders}}, see core's pitch-template) spoken until an experiment applies. */
    defaultPitch: text('default_pitch').notNull(),
    /** Extra spoken names, fed to the skill's entity resolution. */
    synonyms: text('synonyms').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The skill resolves spoken names within one merchant's catalog: names must not be ambiguous.
    unique('products_merchant_name_unique').on(t.merchantId, t.name),
    index('products_merchant_active_idx').on(t.merchantId, t.active),
    check('products_price_check', sql`${t.priceAmount} >= 0`),
    // A sale is a discount: a compare-at price at or below the price would be a {{discount}} of nothing.
    check(
      'products_compare_at_check',
      sql`${t.compareAtAmount} is null or ${t.compareAtAmount} > ${t.priceAmount}`,
    ),
    check('products_currency_check', isCurrency(t.currency)),
    check('products_name_check', sql`length(${t.name}) between 1 and 200`),
  ],
);

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
     * experiment's scope, without exposures (apps/skill/src/experiments/shipped.ts).
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

/** Alexa account linking: an access token (kept only as its SHA-256) maps to a Stripe customer. */
export const linkedCustomers = pgTable(
  'linked_customers',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    /** sha256 hex of the Alexa access token; the token itself is never stored. */
    accessTokenHash: char('access_token_hash', { length: 64 }).notNull().unique(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    defaultPaymentMethodId: text('default_payment_method_id'),
    email: text('email'),
    name: text('name'),
    createdAt: createdAt(),
  },
  (t) => [
    index('linked_customers_merchant_idx').on(t.merchantId),
    check('linked_customers_token_hash_check', sql`${t.accessTokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/** Orders are the source of truth for money: analytics revenue must reconcile with this table. */
export const orders = pgTable(
  'orders',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    skillId: text('skill_id')
      .notNull()
      .references(() => skills.id),
    linkedCustomerId: uuid('linked_customer_id').references(() => linkedCustomers.id, {
      onDelete: 'set null',
    }),
    /** Hashed Alexa user id, the same value analytics events carry. */
    userId: text('user_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** Moves only forward: see `canTransition` in @pitchline/core. */
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    amountTotal: money('amount_total').notNull(),
    currency: currency().notNull(),
    paymentIntentId: text('payment_intent_id'),
    checkoutSessionId: text('checkout_session_id'),
    checkoutUrl: text('checkout_url'),
    /** Cumulative, as Stripe reports it, so a redelivered refund webhook changes nothing. */
    refundedAmount: money('refunded_amount').notNull().default(0),
    /** `expKey:variantKey` pairs of the pitches heard before ordering. */
    attribution: jsonb('attribution').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (t) => [
    index('orders_merchant_created_idx').on(t.merchantId, t.createdAt),
    // Webhooks find their order by these; unique because one payment belongs to one order.
    uniqueIndex('orders_payment_intent_idx').on(t.paymentIntentId),
    uniqueIndex('orders_checkout_session_idx').on(t.checkoutSessionId),
    check('orders_status_check', oneOf(t.status, ORDER_STATUSES)),
    check('orders_amount_check', sql`${t.amountTotal} >= 0`),
    check('orders_refund_check', sql`${t.refundedAmount} between 0 and ${t.amountTotal}`),
    check('orders_currency_check', isCurrency(t.currency)),
    check('orders_attribution_check', sql`jsonb_typeof(${t.attribution}) = 'array'`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** Snapshot: the receipt says what was sold then, whatever the catalog says now. */
    name: text('name').notNull(),
    unitAmount: money('unit_amount').notNull(),
    quantity: integer('quantity').notNull(),
    currency: currency().notNull(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    index('order_items_product_idx').on(t.productId),
    check('order_items_unit_amount_check', sql`${t.unitAmount} >= 0`),
    check('order_items_quantity_check', sql`${t.quantity} between 1 and 1000`),
    check('order_items_currency_check', isCurrency(t.currency)),
  ],
);

/** Stripe event ids already handled: a redelivered webhook is acknowledged and skipped. */
export const processedWebhookEvents = pgTable('processed_webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Merchant = typeof merchants.$inferSelect;
export type NewMerchant = typeof merchants.$inferInsert;
export type Member = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;
export type MemberSession = typeof memberSessions.$inferSelect;
export type NewMemberSession = typeof memberSessions.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type LoginAttempt = typeof loginAttempts.$inferSelect;
export type NewLoginAttempt = typeof loginAttempts.$inferInsert;
export type Skill = typeof skills.$inferSelect;
export type NewSkill = typeof skills.$inferInsert;
export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type Experiment = typeof experiments.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type ExperimentVariant = typeof experimentVariants.$inferSelect;
export type NewExperimentVariant = typeof experimentVariants.$inferInsert;
export type ExperimentHistoryEntry = typeof experimentHistoryEntries.$inferSelect;
export type NewExperimentHistoryEntry = typeof experimentHistoryEntries.$inferInsert;
export type LinkedCustomer = typeof linkedCustomers.$inferSelect;
export type NewLinkedCustomer = typeof linkedCustomers.$inferInsert;
export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderItem = typeof orderItems.$inferSelect;
export type NewOrderItem = typeof orderItems.$inferInsert;
export type ProcessedWebhookEvent = typeof processedWebhookEvents.$inferSelect;
