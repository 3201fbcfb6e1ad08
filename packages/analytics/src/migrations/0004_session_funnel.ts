import { localTable, NEVER_MS, qualified, SUMMARY_STEP_TYPES, TABLES, viewOf } from '../tables';
import { type Migration, type MigrationTarget, onClusterClause } from './types';

const NIL_UUID = "toUUID('00000000-0000-0000-0000-000000000000')";
const MS = 'toUnixTimestamp64Milli(ts)';

/**
 * The funnel's per-session table: what the dashboard's funnels read instead of session_summary, whose
 * DateTime64 columns (Delta+ZSTD over hash-ordered rows), minMap arrays and FINAL cost most of the funnel's
 * time at 1.3M sessions (measured with bench:queries: reading the first variant out of the minMap alone
 * cost more than the rest of the query).
 *
 * - Times are plain Int64 ms since the epoch (LZ4): the funnel compares and subtracts ms, so nothing is
 *   converted per row, and LZ4 decodes several times faster than ZSTD on values a hash order scatters.
 * - The first pitch heard and the first product touched are min() over a (ms, key) tuple: the key of
 *   the earliest time, as one plain column read without any array work (`first_variant.2`).
 * - Every column is min / max / any, which are idempotent: a row inserted twice merges to the same
 *   values. That makes the backfill below exact even while events keep arriving (the view is created
 *   first, so an event inserted meanwhile may be summarised both by the view and by the backfill, and
 *   that is harmless), and a re-run of an interrupted migration harmless too.
 * - user_id is kept for the cluster's sharding key (see below), not read by queries.
 */
const COLUMNS = `
  merchant_id UUID,
  session_key UInt64,
  session_id SimpleAggregateFunction(any, String),
  user_id SimpleAggregateFunction(any, String),
  first_ms SimpleAggregateFunction(min, Int64),
${SUMMARY_STEP_TYPES.map((t) => `  ms_${t} SimpleAggregateFunction(min, Int64),`).join('\n')}
  first_variant SimpleAggregateFunction(min, Tuple(Int64, String)),
  first_product SimpleAggregateFunction(min, Tuple(Int64, String)),
  locale SimpleAggregateFunction(max, LowCardinality(String)),
  device SimpleAggregateFunction(max, LowCardinality(String)),
  -- "expKey:variantKey" → first ms heard: only a breakdown by one experiment's variants reads it.
  variant_first SimpleAggregateFunction(minMap, Tuple(Array(String), Array(Int64)))`;

/**
 * ORDER BY (merchant, hash of the session), as session_summary and for the same reasons: one tenant's
 * rows are one contiguous range, and a fixed-width key keeps merges and FINAL cheap. No PARTITION BY:
 * the rows of one session must be able to merge whatever their times.
 */
const TAIL = `
ORDER BY (merchant_id, session_key)`;

function select(source: string): string {
  const perType = SUMMARY_STEP_TYPES.map(
    (t) => `  min(if(type = '${t}', ${MS}, ${NEVER_MS})) AS ms_${t},`,
  ).join('\n');
  const hasProduct = `type IN ('pitch_exposure', 'cart_add') AND product_id != ${NIL_UUID}`;
  return `SELECT
  merchant_id,
  cityHash64(session_id) AS session_key,
  session_id,
  any(user_id) AS user_id,
  min(${MS}) AS first_ms,
${perType}
  min(if(type = 'pitch_exposure', (${MS}, concat(experiment_key, ':', variant_key)), (toInt64(${NEVER_MS}), ''))) AS first_variant,
  min(if(${hasProduct}, (${MS}, toString(product_id)), (toInt64(${NEVER_MS}), ''))) AS first_product,
  max(if(type = 'session_start', locale, '')) AS locale,
  max(if(type = 'session_start', if(has_screen, 'screen', 'voice'), '')) AS device,
  minMap(
    if(type = 'pitch_exposure', [concat(experiment_key, ':', variant_key)], []),
    if(type = 'pitch_exposure', [${MS}], [])
  ) AS variant_first
FROM ${source}
WHERE type != 'request_rejected'
GROUP BY merchant_id, session_id`;
}

/** A large install's backfill groups more sessions than fit in memory: let the GROUP BY spill to disk. */
const BACKFILL_SETTINGS = `
SETTINGS max_bytes_before_external_group_by = 2000000000`;

export function sessionFunnelStatements(target: MigrationTarget): string[] {
  const db = target.database;
  const on = onClusterClause(target);
  const funnel = qualified(db, TABLES.sessionFunnel);
  const view = qualified(db, viewOf(TABLES.sessionFunnel));
  const local = localTable(TABLES.sessionFunnel);
  const events = qualified(db, TABLES.events);
  if (!target.cluster) {
    return [
      `CREATE TABLE IF NOT EXISTS ${funnel} (${COLUMNS}
)
ENGINE = AggregatingMergeTree${TAIL}`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} TO ${funnel} AS
${select(events)}`,
      // Existing installs: summarise the events stored before the view existed (see COLUMNS on why twice is fine).
      `INSERT INTO ${funnel}
${select(events)}${BACKFILL_SETTINGS}`,
    ];
  }
  // On a cluster the view fires on each shard's local inserts. The Distributed table shards by the same
  // (merchant, user) hash as events, so the backfill, inserted through it from every shard's events,
  // lands each session on the shard whose view summarises that session's new events.
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(db, local)}${on} (${COLUMNS}
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/${db}/${local}', '{replica}')${TAIL}`,
    `CREATE TABLE IF NOT EXISTS ${funnel}${on} AS ${qualified(db, local)}
ENGINE = Distributed('${target.cluster}', '${db}', '${local}', cityHash64(merchant_id, user_id))`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view}${on} TO ${qualified(db, local)} AS
${select(qualified(db, localTable(TABLES.events)))}`,
    `INSERT INTO ${funnel}
${select(events)}${BACKFILL_SETTINGS}`,
  ];
}

export const migration0004: Migration = {
  version: 4,
  name: 'session_funnel',
  statements: sessionFunnelStatements,
};
