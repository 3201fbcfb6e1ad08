/**
 * The names of the ClickHouse tables, and the values baked into their schemas that the queries reading
 * them must agree with. Migrations and queries both import them from here, so neither imports the other.
 *
 * Released migrations interpolate these into their SQL, and a migration whose SQL changed after it was
 * applied is refused at start (migrate.ts compares checksums). So these values are history, not
 * configuration: migrations/checksums.test.ts pins every migration's checksum and fails on any change.
 */

export const TABLES = {
  /** One row per thing that happened (migration 0001). */
  events: 'events',
  /** One row per session, for the session search (0003). */
  sessionSummary: 'session_summary',
  /** One row per session, for the funnels (0004). */
  sessionFunnel: 'session_funnel',
  /** Per merchant and 30-minute bucket, for the overview, revenue and insights pages (0005). */
  overviewRollup: 'overview_rollup',
  /** Which migrations were applied, with their checksums (migrate.ts). */
  schemaMigrations: 'schema_migrations',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];

/** `database.table`: chDB ignores the client's `database` option, so every statement names both. */
export function qualified(database: string, table: string): string {
  return `${database}.${table}`;
}

/** On a cluster, the replicated shard-local table behind the Distributed table of the public name. */
export function localTable<T extends TableName>(table: T): `${T}_local` {
  return `${table}_local`;
}

/** The materialized view that fills a rollup table from every insert into events. */
export function viewOf<T extends TableName>(table: T): `${T}_mv` {
  return `${table}_mv`;
}

/**
 * Event types with a first-occurrence column in session_summary (t_<type>) and session_funnel (ms_<type>).
 * Fixed here, not taken from the event contract: a new event type must not change released migrations.
 */
export const SUMMARY_STEP_TYPES = [
  'session_start',
  'turn',
  'pitch_exposure',
  'cart_add',
  'cart_remove',
  'checkout_prompt',
  'order_confirmed',
  'order_declined',
  'payment_succeeded',
  'payment_failed',
  'payment_action_required',
  'refund',
  'session_end',
] as const;

/** session_summary's "never happened": min() over real timestamps always beats it, and it survives merges. */
export const NEVER_TS = "toDateTime64('2299-12-31 00:00:00', 3, 'UTC')";

/** session_funnel's "never happened", in ms since the epoch (2299-12-31): beyond any real event. */
export const NEVER_MS = 10_413_705_600_000;

/** overview_rollup's time grain: 30 minutes, so that local days of half-hour zones are unions of buckets too. */
export const BUCKET_SECONDS = 1800;

/**
 * Events after this are left out of overview_rollup: `bucket` is a DateTime (4 bytes, up to 2106-02-07),
 * and the queries only use the rollup for ranges that end before it (see queries/overview-rollup.ts).
 */
export const ROLLUP_TS_LIMIT = '2106-01-01 00:00:00';
