import { describe, expect, it } from 'vitest';
import { FALLBACK_INTENT } from '../queries/dialog-health.query';
import { overviewRollupStatements, ROLLUP_FALLBACK_INTENT } from './0005_overview_rollup';
import { MIGRATIONS } from './index';

describe('overview_rollup DDL', () => {
  it('single node: table, view, then the backfill into an emptied table (a re-run must not add to a partial one)', () => {
    const [table, view, truncate, backfill, ...rest] = overviewRollupStatements({ database: 'pl' });
    expect(rest).toEqual([]);
    expect(table).toContain('CREATE TABLE IF NOT EXISTS pl.overview_rollup (');
    expect(table).toContain('ENGINE = AggregatingMergeTree');
    expect(table).toMatch(/ORDER BY \(merchant_id, kind, bucket, dim\)/);
    expect(table).toContain('PARTITION BY toYYYYMM(bucket)');
    // Sums: a retried batch's view block must be dropped like the batch itself.
    expect(table).toContain('non_replicated_deduplication_window = 10000');
    expect(view).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS pl.overview_rollup_mv TO pl.overview_rollup AS',
    );
    expect(view).toContain('FROM pl.events\n');
    expect(truncate).toBe('TRUNCATE TABLE pl.overview_rollup');
    expect(backfill).toMatch(/^INSERT INTO pl\.overview_rollup\nSELECT/);
    expect(backfill).toContain('FROM pl.events\n');
    expect(backfill).toContain('insert_deduplicate = 0');
    // The view and the backfill summarise events with the very same SELECT.
    expect(backfill?.split('\nSELECT')[1]?.split('\nSETTINGS')[0]).toBe(view?.split('\nSELECT')[1]);
    expect(`${table}${view}${truncate}${backfill}`).not.toContain('ON CLUSTER');
  });

  it('cluster: replicated local table, Distributed table, view on local events, truncate and foreground backfill on the cluster', () => {
    const [local, distributed, view, truncate, backfill, ...rest] = overviewRollupStatements({
      database: 'pl',
      cluster: 'prod',
    });
    expect(rest).toEqual([]);
    expect(local).toContain("pl.overview_rollup_local ON CLUSTER 'prod'");
    expect(local).toContain(
      "ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/pl/overview_rollup_local', '{replica}')",
    );
    expect(local).toContain('replicated_deduplication_window = 10000');
    expect(distributed).toBe(
      "CREATE TABLE IF NOT EXISTS pl.overview_rollup ON CLUSTER 'prod' AS pl.overview_rollup_local\n" +
        "ENGINE = Distributed('prod', 'pl', 'overview_rollup_local', cityHash64(merchant_id))",
    );
    expect(view).toContain("pl.overview_rollup_mv ON CLUSTER 'prod' TO pl.overview_rollup_local AS");
    expect(view).toContain('FROM pl.events_local\n');
    expect(truncate).toBe("TRUNCATE TABLE IF EXISTS pl.overview_rollup_local ON CLUSTER 'prod' SYNC");
    expect(backfill).toMatch(/^INSERT INTO pl\.overview_rollup\n/);
    expect(backfill).toContain('FROM pl.events\n');
    // Replicated tables remember inserted block hashes across TRUNCATE: a re-run backfill must not be dropped.
    expect(backfill).toContain('insert_deduplicate = 0');
    expect(backfill).toContain('distributed_foreground_insert = 1');
  });

  it('counts fallbacks with the intent dialog health asks about, and comes after session_funnel', () => {
    expect(ROLLUP_FALLBACK_INTENT).toBe(FALLBACK_INTENT);
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 3, 4, 5, 6]);
  });
});
