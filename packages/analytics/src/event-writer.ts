import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Logger, parseEvent, silentLogger } from '@pitchline/core';
import type { Registry } from 'prom-client';
import type { ClickHouseHandle } from './clickhouse';
import { clickHouseInserter, type InsertBatch } from './clickhouse-inserter';
import { EventLogFullError, EventWriterClosedError } from './errors';
import { toEventRow } from './event-row';
import { SegmentShipper } from './segment-shipper';
import { listQuarantine, lockWal, QUARANTINE_DIR, recoverSegments } from './wal';
import { WalAppender } from './wal-appender';
import { createWriterMetrics, type EventWriterStats, type WriterMetrics } from './writer-metrics';

export interface EventWriterOptions {
  ch: ClickHouseHandle;
  walDir: string;
  /** Upper bound of the log on disk (plus writes in flight); beyond it record() rejects. Default 512 MiB. */
  maxLogBytes?: number;
  /** A segment (one INSERT) is sealed at this size. Default 16 MiB. */
  batchMaxBytes?: number;
  /** …or at this many events. Default 20,000. */
  batchMaxEvents?: number;
  /** …or this long after its first event, so a quiet skill's events still show up promptly. Default 250 ms. */
  batchMaxDelayMs?: number;
  /**
   * Under sustained load, a segment is held past batchMaxDelayMs (up to 4× it) until it holds this many
   * events, when the rate it fills at says it will get there. Default 5,000 (or batchMaxEvents if lower).
   */
  batchMinEvents?: number;
  /** fdatasync every group commit before acknowledging. Default true; only tests and benchmarks turn it off. */
  fsync?: boolean;
  registry?: Registry;
  logger?: Logger;
  /** Replaces the ClickHouse INSERT (fault-injection tests wrap {@link clickHouseInserter}). */
  insert?: InsertBatch;
  /** Retry backoff bounds. Defaults 100 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

/**
 * The only way events enter ClickHouse.
 *
 * record() validates, appends the row to a local write-ahead log and resolves once the row is durable
 * (WalAppender: group commit). A background loop ships sealed segments to ClickHouse exactly once, with
 * retries, and quarantines a segment ClickHouse rejects for good (SegmentShipper; counted in
 * pitchline_event_segments_quarantined_total, pitchline_event_quarantine_events/_bytes). This class owns
 * what spans both: the log directory's lock and crash recovery, the bound on the log's size, flush and
 * close, and the stats and metrics.
 */
export class EventWriter {
  readonly #ch: ClickHouseHandle;
  readonly #dir: string;
  readonly #maxLogBytes: number;
  readonly #fsync: boolean;
  readonly #log: Logger;
  readonly #metrics: WriterMetrics;
  readonly #appender: WalAppender;
  readonly #shipper: SegmentShipper;

  #rejectedFull = 0;
  #waiters: Waiter[] = [];
  #started: Promise<void> | undefined;
  #closing = false;
  #failure: unknown;
  #unlock: (() => Promise<void>) | undefined;

  constructor(options: EventWriterOptions) {
    this.#ch = options.ch;
    this.#dir = options.walDir;
    this.#maxLogBytes = options.maxLogBytes ?? 512 * 1024 * 1024;
    this.#fsync = options.fsync ?? true;
    this.#log = options.logger ?? silentLogger;
    this.#metrics = createWriterMetrics(options.registry, () => this.stats());
    const batchMaxEvents = options.batchMaxEvents ?? 20_000;
    this.#appender = new WalAppender({
      dir: this.#dir,
      batchMaxBytes: options.batchMaxBytes ?? 16 * 1024 * 1024,
      batchMaxEvents,
      batchMaxDelayMs: options.batchMaxDelayMs ?? 250,
      batchMinEvents: options.batchMinEvents ?? Math.min(5_000, batchMaxEvents),
      fsync: this.#fsync,
      logger: this.#log,
      recovered: () => this.start(),
      shipperBusy: () => this.#shipper.busy,
      onSealed: (segment) => this.#shipper.accept(segment),
      onChange: () => this.#notify(),
    });
    this.#shipper = new SegmentShipper({
      dir: this.#dir,
      fsync: this.#fsync,
      insert: options.insert ?? clickHouseInserter(options.ch),
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      logger: this.#log,
      metrics: this.#metrics,
      onIdle: () => this.#appender.sealIfDue(),
      onChange: () => this.#notify(),
    });
    // Shipping starts by itself; start() only lets a caller await recovery and see its errors.
    void this.start().catch(() => {});
  }

  /** Recovers the log left by a previous run and starts shipping. Idempotent; record() awaits it too. */
  start(): Promise<void> {
    this.#started ??= this.#recover();
    return this.#started;
  }

  async #recover(): Promise<void> {
    try {
      await fsp.mkdir(this.#dir, { recursive: true });
      this.#unlock = await lockWal(resolve(this.#dir));
      const segments = await recoverSegments(this.#dir, this.#fsync);
      const quarantined = await listQuarantine(this.#dir);
      for (const segment of segments) this.#appender.resumeAfter(segment.seq);
      this.#shipper.start(segments, quarantined);
      const counts = this.#shipper.counts();
      if (counts.quarantinedSegments > 0) {
        this.#log.warn(
          {
            segments: counts.quarantinedSegments,
            events: counts.quarantinedEvents,
            bytes: counts.quarantinedBytes,
            dir: join(this.#dir, QUARANTINE_DIR),
          },
          'event log has quarantined segments that ClickHouse rejected; they are not shipped until re-shipped',
        );
      }
      if (segments.length > 0) {
        this.#log.info(
          { segments: segments.length, events: this.#queued(), bytes: this.#logBytes() },
          'event log recovered; shipping the backlog',
        );
      }
    } catch (err) {
      this.#failure = err;
      this.#log.error({ err }, 'event log recovery failed');
      throw err;
    }
  }

  /**
   * Validates the event and resolves once it is durable in the log (not yet in ClickHouse).
   * Rejects with InvalidEventError (nothing written), EventLogFullError, or the write error.
   */
  async record(event: unknown): Promise<void> {
    if (this.#closing) throw new EventWriterClosedError('EventWriter is closed');
    const line = `${JSON.stringify(toEventRow(parseEvent(event)))}\n`;
    // Rows are mostly ASCII; byteLength is exact for the rest and far cheaper than encoding twice.
    const bytes = Buffer.byteLength(line);
    const logBytes = this.#logBytes();
    if (logBytes + bytes > this.#maxLogBytes) {
      this.#rejectedFull++;
      this.#metrics.rejectedFull.inc();
      throw new EventLogFullError(
        `event log is full (${logBytes} of ${this.#maxLogBytes} bytes not yet shipped to ClickHouse); ` +
          'the event was not recorded',
      );
    }
    return this.#appender.append(line, bytes);
  }

  /**
   * Puts every quarantined segment back in the shipping line, under its own name (its deduplication token,
   * so running this twice, or a crash in between, never stores a segment twice). Use it once the cause is
   * fixed (a schema, or the offending line edited in the file); a segment still rejected is quarantined
   * again. Its bytes count against maxLogBytes again from now on.
   */
  async reshipQuarantined(): Promise<{ segments: number; events: number }> {
    if (this.#closing) throw new EventWriterClosedError('EventWriter is closed');
    await this.start();
    return this.#shipper.reshipQuarantined();
  }

  /**
   * Resolves once every event recorded before the call is in ClickHouse, or quarantined because ClickHouse
   * rejected its segment for good (waits out an outage).
   */
  async flush(): Promise<void> {
    await this.start();
    const target = this.#appender.appended;
    await this.#until(() => this.#appender.hasSettled(target));
    // Records that arrive from now on may join the open segment; sealing it a little later is harmless.
    const lastSeq = this.#appender.sealOpenSegment();
    await this.#until(() => !this.#appender.isSealingUpTo(lastSeq) && !this.#shipper.holdsUpTo(lastSeq));
  }

  /**
   * Stops accepting events, ships what is recorded and stops. With timeoutMs, gives up waiting for
   * ClickHouse after that long: what is not shipped stays in the log and is shipped by the next start.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#failure === undefined) {
      const flushed = this.flush().catch(() => {});
      if (options.timeoutMs === undefined) await flushed;
      else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          flushed,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, options.timeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
    }
    await this.#until(() => this.#appender.idle);
    await this.#shipper.stop();
    await this.#appender.close();
    await this.#unlock?.();
    const queued = this.#queued();
    if (queued > 0) this.#log.warn({ queued }, 'EventWriter closed with events still in the log');
  }

  stats(): EventWriterStats {
    const s = this.#shipper.counts();
    return {
      queued: this.#queued(),
      shipped: s.shipped,
      retries: s.retries,
      rejectedFull: this.#rejectedFull,
      logBytes: this.#logBytes(),
      batches: s.batches,
      pendingSegments: s.lineSegments + (this.#appender.openSegmentHasEvents ? 1 : 0),
      quarantined: s.quarantined,
      quarantinedSegments: s.quarantinedSegments,
      quarantinedEvents: s.quarantinedEvents,
      quarantinedBytes: s.quarantinedBytes,
    };
  }

  /** The database the writer inserts into (for logs and tests). */
  get database(): string {
    return this.#ch.database;
  }

  /** What maxLogBytes bounds: records not yet sealed, and sealed segments not yet shipped or quarantined. */
  #logBytes(): number {
    return this.#appender.heldBytes + this.#shipper.lineBytes;
  }

  #queued(): number {
    return this.#appender.durableEvents + this.#shipper.queuedEvents;
  }

  #notify(): void {
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.done()) return true;
      w.resolve();
      return false;
    });
  }

  #until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ done, resolve }));
  }
}
