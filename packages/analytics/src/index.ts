export { InvalidEventError } from '@pitchline/core';
export {
  ChdbPathConflictError,
  type ClickHouseConfig,
  type ClickHouseHandle,
  createClickHouse,
} from './clickhouse';
export {
  classifyInsertError,
  EventLogFullError,
  EventWriterClosedError,
  type InsertErrorClass,
} from './errors';
export { EVENT_COLUMNS, type EventRow, toEventRow } from './event-row';
export {
  clickHouseInserter,
  EventWriter,
  type EventWriterOptions,
  type InsertBatch,
  type Logger,
  type SegmentBatch,
} from './event-writer';
export * from './experiments/index';
export { type AppliedMigration, MigrationChecksumError, migrateClickHouse } from './migrate';
export { MIGRATIONS, type Migration, type MigrationTarget } from './migrations/index';
export * from './queries/index';
export { QUARANTINE_DIR, type QuarantineSidecar, WalLockedError } from './wal';
export type { EventWriterStats } from './writer-metrics';
