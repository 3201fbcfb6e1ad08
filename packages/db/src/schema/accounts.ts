import { sql } from 'drizzle-orm';
import { char, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, isCurrency, isSha256Hex, oneOf } from './columns';
import { API_KEY_ROLES, API_KEY_SCOPES, AUDIT_ACTIONS, MEMBER_ROLES, PAYMENT_MODES } from './values';

/* Tenants and who may sign in for them: merchants, members, their sessions, API keys, login attempts, and the Alexa skills that route to a merchant. */

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
    /**
     * After this the key answers 401: at most a year after creation (the API's bound, and the
     * default). The default is for keys made before expiries existed, which the migration gives a
     * year, and for an older instance still inserting keys during a rolling upgrade.
     */
    expiresAt: timestamp('expires_at', { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '365 days'`),
    /**
     * What the key may do. Keys made before scopes existed read everything, so they keep the two read
     * scopes; none had write.
     */
    scopes: text('scopes', { enum: API_KEY_SCOPES })
      .array()
      .notNull()
      .default(sql`'{analytics:read,transcripts:read}'::text[]`),
  },
  (t) => [
    index('api_keys_merchant_idx').on(t.merchantId),
    check('api_keys_key_hash_check', isSha256Hex(t.keyHash)),
    check('api_keys_role_check', oneOf(t.role, API_KEY_ROLES)),
    check('api_keys_name_check', sql`length(${t.name}) between 1 and 100`),
    check('api_keys_prefix_check', sql`length(${t.prefix}) between 1 and 32`),
    check(
      'api_keys_scopes_check',
      sql`${t.scopes} <@ array[${sql.raw(API_KEY_SCOPES.map((s) => `'${s}'`).join(', '))}]::text[]`,
    ),
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

/**
 * An owner's invitation of a person by e-mail: the link carries a random token, only its SHA-256 is
 * stored; it works once (`used_at`) and until `expires_at`.
 */
export const memberInvites = pgTable(
  'member_invites',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    tokenHash: char('token_hash', { length: 64 }).notNull().unique(),
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('member_invites_merchant_idx').on(t.merchantId),
    check('member_invites_token_hash_check', isSha256Hex(t.tokenHash)),
    check('member_invites_role_check', oneOf(t.role, MEMBER_ROLES)),
    check('member_invites_email_check', sql`${t.email} = lower(${t.email}) and ${t.email} like '%_@_%'`),
    check('member_invites_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/** An owner-issued password reset link for one member: one use, short-lived, token hashed at rest. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    tokenHash: char('token_hash', { length: 64 }).notNull().unique(),
    createdBy: uuid('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('password_resets_member_idx').on(t.memberId),
    check('password_resets_token_hash_check', isSha256Hex(t.tokenHash)),
    check('password_resets_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * Security-relevant actions per merchant, newest read first. The actor is kept as text too, because
 * the member reference is nulled when that member is removed and the entry must still say who acted.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    actorMemberId: uuid('actor_member_id').references(() => members.id, { onDelete: 'set null' }),
    /** Who acted, in words: a member's e-mail, "API key <prefix>", or the address a failed sign-in named. */
    actor: text('actor').notNull(),
    /** What was acted on, in words (a member's e-mail, a key's name, a skill id), when anything. */
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    // GET /api/audit: one merchant's entries, newest first, paged by (at, id).
    index('audit_log_merchant_at_idx').on(t.merchantId, t.at, t.id),
    check('audit_log_action_check', oneOf(t.action, AUDIT_ACTIONS)),
    check('audit_log_details_check', sql`jsonb_typeof(${t.details}) = 'object'`),
  ],
);
