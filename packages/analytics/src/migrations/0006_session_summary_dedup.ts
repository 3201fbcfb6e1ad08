import { localTable, qualified, TABLES } from '../tables';
import { type Migration, type MigrationTarget, onClusterClause } from './types';

/**
 * session_summary (0003) counts each session's turns with a sum but was created without a deduplication
 * window. On ClickHouse 24+ a batch the EventWriter retries (same insert_deduplication_token) is dropped by
 * events yet still fires the views; whether a view's block is a duplicate is decided by the view's target
 * table, under a token derived from the batch's. So every retried batch added its sessions' turns again
 * (seen with chDB 26.7; the session search shows and filters by that count). The table now carries the
 * same window as events. Counts doubled before this migration stay doubled: nothing records which
 * batches were retried.
 *
 * session_funnel (0004) needs no window (min / max / any are idempotent); overview_rollup (0005) has one.
 * MODIFY SETTING to the same value is a no-op, so the statement can simply run again.
 */
export function sessionSummaryDedupStatements(target: MigrationTarget): string[] {
  const db = target.database;
  if (!target.cluster) {
    return [
      `ALTER TABLE ${qualified(db, TABLES.sessionSummary)} MODIFY SETTING non_replicated_deduplication_window = 10000`,
    ];
  }
  return [
    `ALTER TABLE ${qualified(db, localTable(TABLES.sessionSummary))}${onClusterClause(target)} MODIFY SETTING replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800`,
  ];
}

export const migration0006: Migration = {
  version: 6,
  name: 'session_summary_dedup',
  statements: sessionSummaryDedupStatements,
};
