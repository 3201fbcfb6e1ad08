import { sql } from 'drizzle-orm';
import { char, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { memberSessions, members, merchants } from './accounts';
import { createdAt, id, isSha256Hex, updatedAt } from './columns';

/*
 * A merchant's link to its Amazon developer account (Login with Amazon), which is how it proves it
 * controls an Alexa skill: only skills the Skill Management API lists for that account can be bound.
 */

/**
 * One pending "Connect Amazon" round trip. Only the SHA-256 of the OAuth `state` is stored; it is bound
 * to the session that started it, works once (used_at) and expires, so a callback can neither be
 * replayed nor be carried into another person's session.
 */
export const amazonOauthStates = pgTable(
  'amazon_oauth_states',
  {
    id: id(),
    stateHash: char('state_hash', { length: 64 }).notNull().unique(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => memberSessions.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('amazon_oauth_states_expires_idx').on(t.expiresAt),
    check('amazon_oauth_states_state_hash_check', isSha256Hex(t.stateHash)),
    check('amazon_oauth_states_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * The merchant's connected Amazon account: its LWA refresh token, encrypted at rest (AES-256-GCM, the
 * key outside the database), and the last access token, encrypted too, with its expiry.
 */
export const amazonConnections = pgTable(
  'amazon_connections',
  {
    merchantId: uuid('merchant_id')
      .primaryKey()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    /** base64url(iv ‖ ciphertext ‖ tag) of the refresh token. */
    refreshTokenSealed: text('refresh_token_sealed').notNull(),
    accessTokenSealed: text('access_token_sealed'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    /** Who connected it; kept (as null) when that member is removed. */
    connectedBy: uuid('connected_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('amazon_connections_refresh_check', sql`length(${t.refreshTokenSealed}) > 0`)],
);
