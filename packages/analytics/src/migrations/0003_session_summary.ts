import { localTable, NEVER_TS, qualified, SUMMARY_STEP_TYPES, TABLES, viewOf } from '../tables';
import { type Migration, type MigrationTarget, onClusterClause } from './types';

const TS = "DateTime64(3, 'UTC')";

/**
 * One row per session once merged, built by a materialized view from every insert into events.
 * Every column is a SimpleAggregateFunction, so rows of one session from different inserts (a payment
 * webhook arrives minutes after the dialog) merge into one, and reading them needs no -Merge step: FINAL
 * (or a GROUP BY session) combines the rows not merged yet. Funnels read the first-occurrence columns
 * instead of re-scanning the raw events; the bench measures what that buys.
 */
const COLUMNS = `
  merchant_id UUID,
  session_key UInt64,
  session_id SimpleAggregateFunction(any, String),
  user_id SimpleAggregateFunction(max, String),
  first_ts SimpleAggregateFunction(min, ${TS}),
  last_ts SimpleAggregateFunction(max, ${TS}),
  locale SimpleAggregateFunction(max, LowCardinality(String)),
  device SimpleAggregateFunction(max, LowCardinality(String)),
${SUMMARY_STEP_TYPES.map((t) => `  t_${t} SimpleAggregateFunction(min, ${TS}) CODEC(Delta, ZSTD(1)),`).join('\n')}
  -- "expKey:variantKey" and product id → first time heard / touched: breakdowns need the first one.
  variant_first SimpleAggregateFunction(minMap, Tuple(Array(String), Array(${TS}))),
  product_first SimpleAggregateFunction(minMap, Tuple(Array(String), Array(${TS}))),
  turns SimpleAggregateFunction(sum, UInt64),
  end_reason SimpleAggregateFunction(max, LowCardinality(String))`;

/**
 * ORDER BY (merchant, hash of the session): every read is one tenant's, and a fixed-width key makes the
 * merges and FINAL cheap compared with the long Alexa session id strings (a 64-bit collision between two
 * sessions of one merchant is negligible). No PARTITION BY: a session's rows must be able to merge, and
 * any time-based partition key would split the sessions whose events straddle it.
 */
function tail(): string {
  return `
ORDER BY (merchant_id, session_key)`;
}

function select(source: string): string {
  const perType = SUMMARY_STEP_TYPES.map((t) => `  min(if(type = '${t}', ts, ${NEVER_TS})) AS t_${t},`).join(
    '\n',
  );
  return `SELECT
  merchant_id,
  cityHash64(session_id) AS session_key,
  session_id,
  max(user_id) AS user_id,
  min(ts) AS first_ts,
  max(ts) AS last_ts,
  max(if(type = 'session_start', locale, '')) AS locale,
  max(if(type = 'session_start', if(has_screen, 'screen', 'voice'), '')) AS device,
${perType}
  minMap(
    if(type = 'pitch_exposure', [concat(experiment_key, ':', variant_key)], []),
    if(type = 'pitch_exposure', [ts], [])
  ) AS variant_first,
  minMap(
    if(type IN ('pitch_exposure', 'cart_add') AND product_id != toUUID('00000000-0000-0000-0000-000000000000'), [toString(product_id)], []),
    if(type IN ('pitch_exposure', 'cart_add') AND product_id != toUUID('00000000-0000-0000-0000-000000000000'), [ts], [])
  ) AS product_first,
  countIf(type = 'turn') AS turns,
  max(if(type = 'session_end', reason, '')) AS end_reason
FROM ${source}
WHERE type != 'request_rejected'
GROUP BY merchant_id, session_id`;
}

export function sessionSummaryStatements(target: MigrationTarget): string[] {
  const db = target.database;
  const on = onClusterClause(target);
  const summary = qualified(db, TABLES.sessionSummary);
  const view = qualified(db, viewOf(TABLES.sessionSummary));
  const local = localTable(TABLES.sessionSummary);
  if (!target.cluster) {
    return [
      `CREATE TABLE IF NOT EXISTS ${summary} (${COLUMNS}
)
ENGINE = AggregatingMergeTree${tail()}`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} TO ${summary} AS
${select(qualified(db, TABLES.events))}`,
    ];
  }
  // On a cluster the view fires on each shard's local inserts; events are sharded by (merchant, user),
  // so all of a session's rows land on one shard and merge there.
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(db, local)}${on} (${COLUMNS}
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/${db}/${local}', '{replica}')${tail()}`,
    `CREATE TABLE IF NOT EXISTS ${summary}${on} AS ${qualified(db, local)}
ENGINE = Distributed('${target.cluster}', '${db}', '${local}', cityHash64(merchant_id))`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view}${on} TO ${qualified(db, local)} AS
${select(qualified(db, localTable(TABLES.events)))}`,
  ];
}

export const migration0003: Migration = {
  version: 3,
  name: 'session_summary',
  statements: sessionSummaryStatements,
};
