import type { ClickHouseHandle } from '../clickhouse';
import { onClusterClause } from '../migrations/types';
import { qualified, TABLES } from '../tables';

/**
 * Removes a migration's record from schema_migrations (synchronously, as a mutation), so the next
 * migrateClickHouse sees it as not applied: how a test simulates a migration still pending.
 */
export async function forgetMigration(ch: ClickHouseHandle, version: number): Promise<void> {
  const target = { database: ch.database, ...(ch.cluster ? { cluster: ch.cluster } : {}) };
  await ch.client.command({
    query: `ALTER TABLE ${qualified(ch.database, TABLES.schemaMigrations)}${onClusterClause(target)} DELETE WHERE version = {version:UInt32}`,
    query_params: { version },
    clickhouse_settings: { mutations_sync: '2' },
  });
}
