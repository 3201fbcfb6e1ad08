import { describe, expect, it } from 'vitest';
import { schemaMigrationsStatement } from '../migrate';
import { eventsStatements } from './0001_events';

describe('events DDL', () => {
  it('single node: one MergeTree table with a deduplication window and no ON CLUSTER', () => {
    const [ddl, ...rest] = eventsStatements({ database: 'pl' });
    expect(rest).toEqual([]);
    expect(ddl).toMatch(/^CREATE TABLE IF NOT EXISTS pl\.events \(/);
    expect(ddl).toContain('ENGINE = MergeTree');
    expect(ddl).toContain('non_replicated_deduplication_window = 10000');
    expect(ddl).toMatch(/ORDER BY \(merchant_id,/);
    expect(ddl).not.toContain('ON CLUSTER');
  });

  it('cluster: replicated local table and a Distributed table under the public name, both ON CLUSTER', () => {
    const [local, distributed, ...rest] = eventsStatements({ database: 'pl', cluster: 'prod' });
    expect(rest).toEqual([]);
    expect(local).toContain("CREATE TABLE IF NOT EXISTS pl.events_local ON CLUSTER 'prod' (");
    expect(local).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/pl/events_local', '{replica}')",
    );
    expect(local).toContain('replicated_deduplication_window = 10000');
    expect(local).toMatch(/ORDER BY \(merchant_id,/);
    expect(distributed).toBe(
      "CREATE TABLE IF NOT EXISTS pl.events ON CLUSTER 'prod' AS pl.events_local\n" +
        "ENGINE = Distributed('prod', 'pl', 'events_local', cityHash64(merchant_id, user_id))",
    );
  });

  it('cluster: the migrations record is replicated to every node', () => {
    const ddl = schemaMigrationsStatement({ database: 'pl', cluster: 'prod' });
    expect(ddl).toContain("pl.schema_migrations ON CLUSTER 'prod'");
    expect(ddl).toContain("ReplicatedMergeTree('/clickhouse/tables/all/pl/schema_migrations', '{replica}')");
    expect(schemaMigrationsStatement({ database: 'pl' })).toContain('ENGINE = MergeTree');
  });
});
