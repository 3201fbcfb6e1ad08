import { describe, expect, it } from 'vitest';
import { sessionSummaryDedupStatements } from './0006_session_summary_dedup';

describe('session_summary deduplication window DDL', () => {
  it('single node: the window events has, on the table', () => {
    expect(sessionSummaryDedupStatements({ database: 'pl' })).toEqual([
      'ALTER TABLE pl.session_summary MODIFY SETTING non_replicated_deduplication_window = 10000',
    ]);
  });

  it('cluster: on every replica of the local table, as events_local', () => {
    expect(sessionSummaryDedupStatements({ database: 'pl', cluster: 'prod' })).toEqual([
      "ALTER TABLE pl.session_summary_local ON CLUSTER 'prod' MODIFY SETTING replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800",
    ]);
  });
});
