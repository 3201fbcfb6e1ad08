import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface EventWriterStats {
  /** Events durable in the log and not yet confirmed by ClickHouse. */
  queued: number;
  shipped: number;
  retries: number;
  rejectedFull: number;
  /** Bytes the log holds or has reserved for writes in flight (what maxLogBytes bounds). */
  logBytes: number;
  /** INSERTs ClickHouse confirmed. */
  batches: number;
  /** Sealed segments waiting to be shipped. */
  pendingSegments: number;
  /** Segments this writer moved to quarantine (ClickHouse rejected them for good). */
  quarantined: number;
  /** What the quarantine directory holds now (left by earlier runs too); not part of logBytes. */
  quarantinedSegments: number;
  quarantinedEvents: number;
  quarantinedBytes: number;
}

/**
 * The prom-client view of the writer's counters. Without a registry the metrics still exist but are
 * registered nowhere, so the writer's code path is the same with or without monitoring.
 */
export function createWriterMetrics(registry: Registry | undefined, read: () => EventWriterStats) {
  const registers = registry ? [registry] : [];
  return {
    queued: new Gauge({
      name: 'pitchline_events_queued',
      help: 'Events durable in the write-ahead log, not yet confirmed by ClickHouse',
      registers,
      collect() {
        this.set(read().queued);
      },
    }),
    logBytes: new Gauge({
      name: 'pitchline_event_log_bytes',
      help: 'Bytes held by the event write-ahead log',
      registers,
      collect() {
        this.set(read().logBytes);
      },
    }),
    shipped: new Counter({
      name: 'pitchline_events_shipped_total',
      help: 'Events confirmed by ClickHouse',
      registers,
    }),
    retries: new Counter({
      name: 'pitchline_event_insert_retries_total',
      help: 'Failed ClickHouse batch inserts that were retried',
      registers,
    }),
    rejectedFull: new Counter({
      name: 'pitchline_events_rejected_log_full_total',
      help: 'Events refused because the write-ahead log reached maxLogBytes',
      registers,
    }),
    quarantined: new Counter({
      name: 'pitchline_event_segments_quarantined_total',
      help: 'Log segments ClickHouse rejected for good (parse/type/size errors), moved to the quarantine directory',
      registers,
    }),
    quarantinedEvents: new Gauge({
      name: 'pitchline_event_quarantine_events',
      help: 'Events in quarantined log segments, waiting for an operator to re-ship them',
      registers,
      collect() {
        this.set(read().quarantinedEvents);
      },
    }),
    quarantinedBytes: new Gauge({
      name: 'pitchline_event_quarantine_bytes',
      help: 'Bytes of quarantined log segments (not counted against the log size bound)',
      registers,
      collect() {
        this.set(read().quarantinedBytes);
      },
    }),
    insertSeconds: new Histogram({
      name: 'pitchline_event_batch_insert_seconds',
      help: 'Latency of one batch INSERT into ClickHouse',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}

export type WriterMetrics = ReturnType<typeof createWriterMetrics>;
