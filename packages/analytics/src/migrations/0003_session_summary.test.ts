import { describe, expect, it } from 'vitest';
import { SUMMARY_STEP_TYPES } from '../tables';
import { sessionSummaryStatements } from './0003_session_summary';

describe('session_summary DDL', () => {
  it('single node: an AggregatingMergeTree keyed by merchant and session hash, fed by a view over events', () => {
    const [table, view, ...rest] = sessionSummaryStatements({ database: 'pl' });
    expect(rest).toEqual([]);
    expect(table).toContain('CREATE TABLE IF NOT EXISTS pl.session_summary (');
    expect(table).toContain('ENGINE = AggregatingMergeTree');
    expect(table).toMatch(/ORDER BY \(merchant_id, session_key\)/);
    for (const type of SUMMARY_STEP_TYPES) expect(table).toContain(`t_${type} SimpleAggregateFunction(min,`);
    expect(view).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS pl.session_summary_mv TO pl.session_summary AS',
    );
    expect(view).toContain('FROM pl.events');
    expect(table).not.toContain('ON CLUSTER');
  });

  it('cluster: the view fires on each shard’s local events into a replicated table, read through a Distributed one', () => {
    const [local, distributed, view, ...rest] = sessionSummaryStatements({ database: 'pl', cluster: 'prod' });
    expect(rest).toEqual([]);
    expect(local).toContain("pl.session_summary_local ON CLUSTER 'prod'");
    expect(local).toContain(
      "ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/pl/session_summary_local', '{replica}')",
    );
    expect(distributed).toContain("ENGINE = Distributed('prod', 'pl', 'session_summary_local'");
    expect(view).toContain('TO pl.session_summary_local AS');
    expect(view).toContain('FROM pl.events_local');
  });
});
