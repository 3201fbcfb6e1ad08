import { sql } from 'drizzle-orm';
import { char, check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isSha256Hex } from './columns';

/* What running the service needs besides the tenants' data: first-owner setup links and the ledger of periodic job runs. */

/**
 * One-time links that create the first owner of a production install (printed at its first start, so
 * no default credentials exist). Only the SHA-256 of the token is stored; a link works once, until it expires.
 */
export const setupTokens = pgTable(
  'setup_tokens',
  {
    id: id(),
    /** sha256 hex of the token in the link. */
    tokenHash: char('token_hash', { length: 64 }).notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set by the one use; a used token never works again. */
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    check('setup_tokens_token_hash_check', isSha256Hex(t.tokenHash)),
    check('setup_tokens_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * Every run of a periodic job, one row per job and time slot. The unique key is what makes "no job
 * runs twice" hold even if two instances ever both believed they held the scheduler's lock: the second
 * INSERT of a slot conflicts and that instance skips the run.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: id(),
    job: text('job').notNull(),
    /** The job's period this run covers: floor(epoch ms / interval), as text so any slot scheme fits. */
    slot: text('slot').notNull(),
    /** Which process ran it (host:pid:random), for operators reading the ledger. */
    instance: text('instance').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Set when the run threw: the message, for the ledger's reader. */
    error: text('error'),
  },
  (t) => [
    uniqueIndex('job_runs_job_slot_idx').on(t.job, t.slot),
    // Recent runs of a job, newest first, and the ledger's sweep by age.
    index('job_runs_started_idx').on(t.startedAt),
    check('job_runs_job_check', sql`length(${t.job}) between 1 and 100`),
  ],
);
