import { createHash } from 'node:crypto';
import { type ClickHouseHandle, createDatabaseStatement } from './clickhouse';
import { MIGRATIONS, type Migration, type MigrationTarget } from './migrations/index';
import { onClusterClause } from './migrations/types';
import { qualified, TABLES } from './tables';

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

export class MigrationChecksumError extends Error {
  override name = 'MigrationChecksumError';
}

export function migrationChecksum(migration: Migration, target: MigrationTarget): string {
  return createHash('sha256').update(migration.statements(target).join(';\n')).digest('hex');
}

/**
 * On a cluster the record table is replicated to every node under one path (no {shard}), so whichever
 * node runs the migrations, all of them see what was applied.
 */
export function schemaMigrationsStatement(target: MigrationTarget): string {
  const engine = target.cluster
    ? `ReplicatedMergeTree('/clickhouse/tables/all/${target.database}/${TABLES.schemaMigrations}', '{replica}')`
    : 'MergeTree';
  return `CREATE TABLE IF NOT EXISTS ${qualified(target.database, TABLES.schemaMigrations)}${onClusterClause(target)} (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3),
  checksum String
)
ENGINE = ${engine}
ORDER BY version`;
}

/**
 * Applies the migrations not yet recorded, in order, and records each one after its statements succeed.
 * Statements are idempotent, so a run interrupted between a statement and its record is simply repeated.
 * A recorded migration whose SQL changed since is refused: released migrations are history, not config.
 * Runs from one process at a time (start-up of the composition root); it takes no lock.
 */
export async function migrateClickHouse(
  handle: ClickHouseHandle,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<AppliedMigration[]> {
  // The factory's own attempt may have failed (server still starting); creating again is idempotent.
  await handle.ready.catch(() => {});
  const target: MigrationTarget = {
    database: handle.database,
    ...(handle.cluster ? { cluster: handle.cluster } : {}),
  };
  const { client } = handle;
  const records = qualified(target.database, TABLES.schemaMigrations);
  await client.command({ query: createDatabaseStatement(target) });
  await client.command({ query: schemaMigrationsStatement(target) });

  const recorded = await (
    await client.query({
      query: `SELECT version, name, checksum FROM ${records} ORDER BY version`,
      format: 'JSONEachRow',
    })
  ).json<AppliedMigration>();
  const byVersion = new Map(recorded.map((r) => [Number(r.version), r]));

  const applied: AppliedMigration[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const checksum = migrationChecksum(migration, target);
    const done = byVersion.get(migration.version);
    if (done) {
      if (done.checksum !== checksum) {
        throw new MigrationChecksumError(
          `ClickHouse migration ${migration.version} (${migration.name}) was changed after it was applied ` +
            `(recorded checksum ${done.checksum}, now ${checksum}); add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of migration.statements(target)) {
      await client.command({ query: statement });
    }
    const record = { version: migration.version, name: migration.name, checksum };
    await client.insert({
      table: records,
      values: [record],
      format: 'JSONEachRow',
      columns: ['version', 'name', 'checksum'],
    });
    applied.push(record);
  }
  return applied;
}
