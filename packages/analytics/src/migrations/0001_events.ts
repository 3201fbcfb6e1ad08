import { localTable, qualified, TABLES } from '../tables';
import { type Migration, type MigrationTarget, onClusterClause } from './types';

/** Defaults instead of Nullable: Nullable costs a null-map column and slower reads, and '' / 0 / [] say "absent" just as well. */
const COLUMNS = `
  event_id UUID,
  -- Delta suits the near-monotonic timestamps of a sort run; ZSTD then squeezes the small deltas.
  ts DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
  merchant_id UUID,
  skill_id LowCardinality(String),
  user_id String,
  session_id String,
  type LowCardinality(String),
  locale LowCardinality(String) DEFAULT '',
  has_screen Bool DEFAULT false,
  new_user Bool DEFAULT false,
  request_id String DEFAULT '',
  request_type LowCardinality(String) DEFAULT '',
  intent LowCardinality(String) DEFAULT '',
  slots Nested(
    name LowCardinality(String),
    value String,
    resolved_id String,
    resolved_value String,
    resolution LowCardinality(String)
  ),
  dialog_state LowCardinality(String) DEFAULT '',
  -- Speech is the bulk of the table and very repetitive (templated pitches): ZSTD at a higher level pays off.
  response_ssml String DEFAULT '' CODEC(ZSTD(3)),
  reprompt_ssml String DEFAULT '' CODEC(ZSTD(3)),
  should_end_session Bool DEFAULT false,
  latency_ms Float32 DEFAULT 0,
  error String DEFAULT '',
  experiment_id UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000'),
  experiment_key LowCardinality(String) DEFAULT '',
  variant_key LowCardinality(String) DEFAULT '',
  assignment_probability Float64 DEFAULT 0,
  product_id UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000'),
  quantity UInt16 DEFAULT 0,
  -- Money is integer minor units, as in Postgres orders, so revenue sums reconcile to the cent.
  unit_amount Int64 DEFAULT 0,
  amount Int64 DEFAULT 0,
  currency LowCardinality(String) DEFAULT '',
  item_count UInt32 DEFAULT 0,
  order_id UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000'),
  -- "expKey:variantKey" pairs heard before an order: few distinct values, hence LowCardinality.
  variants Array(LowCardinality(String)),
  payment_intent_id String DEFAULT '',
  failure_code LowCardinality(String) DEFAULT '',
  refund_id String DEFAULT '',
  reason LowCardinality(String) DEFAULT '',
  last_prompt String DEFAULT '' CODEC(ZSTD(3)),
  detail String DEFAULT ''`;

/**
 * Table settings and clauses shared by the single-node and the replicated engine.
 *
 * PARTITION BY month: coarse enough to keep the part count low (one batch → one part per month it
 * touches), and the unit retention drops.
 * ORDER BY: every query is for one tenant, so merchant_id leads; then the day, so date ranges prune
 * granules inside a merchant; then type, so experiment and revenue queries skip the large turn rows; then
 * user and session with ts last, so one user's or session's events of a type are contiguous and in time
 * order, which is what windowFunnel and per-session scans read.
 * TTL: raw events are kept three years (year-over-year comparisons plus margin); ttl_only_drop_parts
 * makes expiry a cheap whole-partition drop instead of a rewrite.
 * Deduplication windows: the EventWriter retries a batch (or replays a WAL segment after a crash) with
 * the same insert_deduplication_token; the window must cover every block inserted meanwhile, and 10,000
 * batches is hours of traffic even at full speed.
 */
function tableTail(): string {
  return `
PARTITION BY toYYYYMM(ts)
ORDER BY (merchant_id, toDate(ts), type, user_id, session_id, ts)
TTL toDateTime(ts) + INTERVAL 36 MONTH DELETE`;
}

export function eventsStatements(target: MigrationTarget): string[] {
  const db = target.database;
  const on = onClusterClause(target);
  const events = qualified(db, TABLES.events);
  const local = localTable(TABLES.events);
  if (!target.cluster) {
    return [
      `CREATE TABLE IF NOT EXISTS ${events} (${COLUMNS}
)
ENGINE = MergeTree${tableTail()}
SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000`,
    ];
  }
  return [
    // The local table holds each shard's rows; replicas of a shard share the ZooKeeper path by {shard}.
    `CREATE TABLE IF NOT EXISTS ${qualified(db, local)}${on} (${COLUMNS}
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/${db}/${local}', '{replica}')${tableTail()}
SETTINGS ttl_only_drop_parts = 1, replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800`,
    // Readers and the EventWriter use the public name. Sharding by (merchant, user) keeps each shopper's
    // events on one shard, so per-user funnels never need cross-shard merging of a user's steps.
    `CREATE TABLE IF NOT EXISTS ${events}${on} AS ${qualified(db, local)}
ENGINE = Distributed('${target.cluster}', '${db}', '${local}', cityHash64(merchant_id, user_id))`,
  ];
}

export const migration0001: Migration = {
  version: 1,
  name: 'events',
  statements: eventsStatements,
};
