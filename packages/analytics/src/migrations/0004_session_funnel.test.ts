import { describe, expect, it } from 'vitest';
import { SUMMARY_STEP_TYPES } from '../tables';
import { sessionFunnelStatements } from './0004_session_funnel';

describe('session_funnel DDL', () => {
  it('single node: table, view, then a backfill from the events already stored', () => {
    const [table, view, backfill, ...rest] = sessionFunnelStatements({ database: 'pl' });
    expect(rest).toEqual([]);
    expect(table).toContain('CREATE TABLE IF NOT EXISTS pl.session_funnel (');
    expect(table).toContain('ENGINE = AggregatingMergeTree');
    expect(table).toMatch(/ORDER BY \(merchant_id, session_key\)/);
    for (const type of SUMMARY_STEP_TYPES)
      expect(table).toContain(`ms_${type} SimpleAggregateFunction(min, Int64)`);
    // Only idempotent aggregates: the backfill may summarise an event the view also saw.
    const functions = [...(table ?? '').matchAll(/SimpleAggregateFunction\((\w+),/g)].map((m) => m[1]);
    expect(new Set(functions)).toEqual(new Set(['any', 'min', 'max', 'minMap']));
    expect(view).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS pl.session_funnel_mv TO pl.session_funnel AS',
    );
    expect(view).toContain('FROM pl.events');
    expect(backfill).toMatch(/^INSERT INTO pl\.session_funnel\nSELECT/);
    expect(backfill).toContain('FROM pl.events');
    expect(`${table}${view}${backfill}`).not.toContain('ON CLUSTER');
  });

  it('cluster: replicated local table, Distributed table sharded like events, view on local events, backfill through the Distributed table', () => {
    const [local, distributed, view, backfill, ...rest] = sessionFunnelStatements({
      database: 'pl',
      cluster: 'prod',
    });
    expect(rest).toEqual([]);
    expect(local).toContain("pl.session_funnel_local ON CLUSTER 'prod'");
    expect(local).toContain(
      "ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/pl/session_funnel_local', '{replica}')",
    );
    expect(distributed).toContain(
      "ENGINE = Distributed('prod', 'pl', 'session_funnel_local', cityHash64(merchant_id, user_id))",
    );
    expect(view).toContain("pl.session_funnel_mv ON CLUSTER 'prod' TO pl.session_funnel_local AS");
    expect(view).toContain('FROM pl.events_local');
    // Through both Distributed tables: every shard's events, each session routed to its events' shard.
    expect(backfill).toMatch(/^INSERT INTO pl\.session_funnel\n/);
    expect(backfill).toContain('FROM pl.events\n');
  });
});
