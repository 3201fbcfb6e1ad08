export { InvalidEventError } from '@pitchline/core';
export {
  ChdbPathConflictError,
  type ClickHouseConfig,
  type ClickHouseHandle,
  createClickHouse,
} from './clickhouse';
export { clickHouseInserter, type InsertBatch, type SegmentBatch } from './clickhouse-inserter';
export {
  classifyInsertError,
  EventLogFullError,
  EventWriterClosedError,
  type InsertErrorClass,
} from './errors';
export { EVENT_COLUMNS, type EventRow, toEventRow } from './event-row';
export { EventWriter, type EventWriterOptions } from './event-writer';
export * from './experiments/index';
export {
  END_REASON_LABELS,
  type Figure,
  INTENT_LABELS,
  intentLabel,
  isMetricId,
  METRIC_DIFFERENCES,
  METRIC_IDS,
  METRICS,
  type MetricId,
} from './metrics/catalogue';
export { figure, moneyFigure, ratioFigure } from './metrics/figures';
export {
  EXPERIMENT_METRIC_IDS,
  experimentArmFigures,
  experimentMetricFigure,
  healthFigures,
  insightsFigures,
  overviewFigures,
  revenueFigures,
} from './metrics/page-figures';
export { type AppliedMigration, MigrationChecksumError, migrateClickHouse } from './migrate';
export { MIGRATIONS, type Migration, type MigrationTarget } from './migrations/index';
export * from './queries/index';
export { QUARANTINE_DIR, type QuarantineSidecar, WalLockedError } from './wal';
export type { EventWriterStats } from './writer-metrics';
