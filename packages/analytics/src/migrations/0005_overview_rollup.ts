import { BUCKET_SECONDS, localTable, qualified, ROLLUP_TS_LIMIT, TABLES, viewOf } from '../tables';
import { type Migration, type MigrationTarget, onClusterClause } from './types';

/**
 * The intent dialog health counts as a fallback. Fixed here, not imported from the query: a migration's
 * SQL must never change once applied (its checksum is recorded); a test pins the two together.
 */
export const ROLLUP_FALLBACK_INTENT = 'AMAZON.FallbackIntent';

const KIND = "Enum8('totals' = 0, 'intent' = 1)";

/**
 * What the overview page reads instead of the raw events: per merchant and 30-minute UTC bucket, the
 * counts, money and sets of distinct sessions / users its queries need. Local days of every zone whose
 * offset is a multiple of 30 minutes (DST included: the offset changes, by a multiple too) are exact
 * unions of buckets: whole-hour zones, India, Iran, Newfoundland, South Australia, Lord Howe … Zones on a
 * quarter hour (Asia/Kathmandu, Pacific/Chatham, Australia/Eucla) read the raw events instead. Measured
 * at 10M events: 30-minute buckets cost the overview's queries ~3 % over hourly ones, 15-minute ~25 %.
 *
 * Two kinds of rows:
 * - 'totals', dim = the currency for payment_succeeded / refund, '' for everything else: sessions
 *   started, users exposed to a pitch, turns (with the sessions that had one), fallbacks, unhandled
 *   turns, and gross / refunds / paid orders in integer minor units per currency.
 * - 'intent', dim = the intent of an IntentRequest turn: its turns and the sessions that used it.
 *
 * Counts and money are sums, so unlike session_funnel's min/max this table is NOT idempotent: a row
 * summarised twice counts twice. It is exact because every event is summarised once: by the backfill
 * (the events stored before the migration) or by the view (every insert after). That holds only if nothing
 * is inserted into `events` while the migration runs: the server ships the event log only once migrations
 * are applied (apps/server/src/pitchline.ts), and every other writer (simulator CLI, benches) migrates
 * before it inserts. Any new writer into `events` must do the same.
 *
 * A batch the EventWriter retries (same insert_deduplication_token) is dropped by events, but the view
 * still fires for it (ClickHouse 24+ leaves deduplication of a view's block to the view's target table,
 * under a token derived from the source block's), so this table carries the same deduplication window
 * as events: the retried batch's rollup block is dropped too. Measured in 0005_overview_rollup.int.test.ts.
 *
 * Distinct counts are uniqExact states over the same values the raw queries count (cityHash64 of the
 * session id, the user id), so merging the buckets of a range gives exactly the raw uniqExact.
 */
const COLUMNS = `
  merchant_id UUID,
  kind ${KIND},
  bucket DateTime('UTC'),
  dim LowCardinality(String),
  session_starts SimpleAggregateFunction(sum, UInt64),
  exposed_users AggregateFunction(uniqExact, String),
  turns SimpleAggregateFunction(sum, UInt64),
  turn_sessions AggregateFunction(uniqExact, UInt64),
  fallback_turns SimpleAggregateFunction(sum, UInt64),
  fallback_sessions AggregateFunction(uniqExact, UInt64),
  unhandled_turns SimpleAggregateFunction(sum, UInt64),
  gross SimpleAggregateFunction(sum, Int64),
  refunds SimpleAggregateFunction(sum, Int64),
  orders SimpleAggregateFunction(sum, UInt64)`;

/**
 * ORDER BY (merchant, kind, bucket, dim): a query reads one tenant's rows of one kind over a range of
 * buckets, which is one contiguous run of the key.
 * PARTITION BY month and the TTL mirror events (0001), so a month leaves both tables together; the extra
 * 30 minutes keep a bucket from being dropped before the last event it summarises.
 * Deduplication windows: as events' (see COLUMNS on why the view's blocks need them).
 */
function tail(target: MigrationTarget): string {
  const dedup = target.cluster
    ? 'replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800'
    : 'non_replicated_deduplication_window = 10000';
  return `
PARTITION BY toYYYYMM(bucket)
ORDER BY (merchant_id, kind, bucket, dim)
TTL bucket + INTERVAL ${BUCKET_SECONDS} SECOND + INTERVAL 36 MONTH DELETE
SETTINGS ttl_only_drop_parts = 1, ${dedup}`;
}

/**
 * One pass over the events: ARRAY JOIN gives an IntentRequest turn a second row of kind 'intent' (the
 * same conditions as the top-intents query), everything else one 'totals' row.
 */
function select(source: string): string {
  const fallback = `kind = 'totals' AND type = 'turn' AND intent = '${ROLLUP_FALLBACK_INTENT}'`;
  return `SELECT
  merchant_id,
  kind,
  toStartOfInterval(toDateTime(ts, 'UTC'), INTERVAL ${BUCKET_SECONDS} SECOND) AS bucket,
  multiIf(kind = 'intent', intent, type IN ('payment_succeeded', 'refund'), currency, '') AS dim,
  countIf(type = 'session_start') AS session_starts,
  uniqExactStateIf(user_id, type = 'pitch_exposure') AS exposed_users,
  countIf(type = 'turn') AS turns,
  uniqExactStateIf(cityHash64(session_id), type = 'turn') AS turn_sessions,
  countIf(${fallback}) AS fallback_turns,
  uniqExactStateIf(cityHash64(session_id), ${fallback}) AS fallback_sessions,
  countIf(kind = 'totals' AND type = 'turn' AND error != '') AS unhandled_turns,
  sumIf(amount, type = 'payment_succeeded') AS gross,
  sumIf(amount, type = 'refund') AS refunds,
  countIf(type = 'payment_succeeded') AS orders
FROM ${source}
ARRAY JOIN CAST(if(type = 'turn' AND request_type = 'IntentRequest' AND intent != '', ['totals', 'intent'], ['totals'])
  AS Array(${KIND})) AS kind
WHERE type IN ('session_start', 'pitch_exposure', 'turn', 'payment_succeeded', 'refund')
  AND ts < toDateTime64('${ROLLUP_TS_LIMIT}', 3, 'UTC')
GROUP BY merchant_id, kind, bucket, dim`;
}

/**
 * The backfill groups a large install's events by bucket: let the GROUP BY spill to disk rather than fail.
 * insert_deduplicate = 0: a replicated table remembers the hashes of inserted blocks even across TRUNCATE,
 * so a backfill run again after a crash would otherwise be silently dropped as a "duplicate".
 */
const BACKFILL_SETTINGS = `
SETTINGS max_bytes_before_external_group_by = 2000000000, insert_deduplicate = 0`;

export function overviewRollupStatements(target: MigrationTarget): string[] {
  const db = target.database;
  const on = onClusterClause(target);
  const rollup = qualified(db, TABLES.overviewRollup);
  const view = qualified(db, viewOf(TABLES.overviewRollup));
  const local = localTable(TABLES.overviewRollup);
  const events = qualified(db, TABLES.events);
  if (!target.cluster) {
    return [
      `CREATE TABLE IF NOT EXISTS ${rollup} (${COLUMNS}
)
ENGINE = AggregatingMergeTree${tail(target)}`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} TO ${rollup} AS
${select(events)}`,
      // Sums are not idempotent: a run interrupted during the backfill (the migration is recorded only
      // after its last statement) starts the backfill over from an empty table instead of adding to it.
      `TRUNCATE TABLE ${rollup}`,
      `INSERT INTO ${rollup}
${select(events)}${BACKFILL_SETTINGS}`,
    ];
  }
  // On a cluster the view fires on each shard's local inserts. Queries add up the shards through the
  // Distributed table, so a row may live on any shard: the backfill spreads by merchant.
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(db, local)}${on} (${COLUMNS}
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/${db}/${local}', '{replica}')${tail(target)}`,
    `CREATE TABLE IF NOT EXISTS ${rollup}${on} AS ${qualified(db, local)}
ENGINE = Distributed('${target.cluster}', '${db}', '${local}', cityHash64(merchant_id))`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view}${on} TO ${qualified(db, local)} AS
${select(qualified(db, localTable(TABLES.events)))}`,
    `TRUNCATE TABLE IF EXISTS ${qualified(db, local)}${on} SYNC`,
    // Foreground: the rows are on their shards when the statement returns, before the migration is recorded.
    `INSERT INTO ${rollup}
${select(events)}${BACKFILL_SETTINGS}, distributed_foreground_insert = 1`,
  ];
}

export const migration0005: Migration = {
  version: 5,
  name: 'overview_rollup',
  statements: overviewRollupStatements,
};
