import { promises as fsp } from 'node:fs';
import type { Logger } from '@pitchline/core';
import { backoffDelay } from '@pitchline/core/backoff';
import type { InsertBatch } from './clickhouse-inserter';
import { classifyInsertError, type InsertErrorClass } from './errors';
import {
  listQuarantine,
  type QuarantinedSegment,
  quarantineSegment,
  type SegmentFile,
  unquarantineSegment,
} from './wal';
import type { WriterMetrics } from './writer-metrics';

export interface SegmentShipperOptions {
  dir: string;
  /** fsync the directory entries of quarantine moves. */
  fsync: boolean;
  insert: InsertBatch;
  /** Retry backoff bounds. */
  retryBaseMs: number;
  retryMaxMs: number;
  logger: Logger;
  metrics: WriterMetrics;
  /** The line ran dry: a segment the appender kept open while the shipper was busy can be sealed now. */
  onIdle: () => void;
  /** After every change a flush() or close() may be waiting for. */
  onChange: () => void;
}

/** What the shipper holds and has done, for the writer's stats(). */
export interface ShipperCounts {
  /** Events in segments waiting in line (or in flight). */
  queuedEvents: number;
  /** Bytes of those segments (they count against the log's bound until deleted or quarantined). */
  lineBytes: number;
  /** Segments waiting in line (or in flight). */
  lineSegments: number;
  shipped: number;
  retries: number;
  batches: number;
  /** Segments this shipper moved to quarantine. */
  quarantined: number;
  /** What the quarantine directory holds now, left by earlier runs too. */
  quarantinedSegments: number;
  quarantinedEvents: number;
  quarantinedBytes: number;
}

/**
 * The read half of the event log: ships sealed segments, oldest first, one INSERT per segment, and
 * deletes a segment only after ClickHouse confirmed it. Because a segment's bytes never change once sealed
 * and its name is the deduplication token, a retry after a timeout, or a replay after a crash between
 * INSERT and delete, is dropped by ClickHouse instead of stored twice (the table keeps a deduplication
 * window, see migration 0001). Segments are shipped strictly one at a time, so the window only has to
 * cover one writer's backlog.
 *
 * A segment ClickHouse rejects for good (a line it cannot parse, say after a schema change: see
 * classifyInsertError) would otherwise be retried forever in front of every later event until the log is
 * full. It is moved to `<dir>/quarantine/` with a JSON sidecar giving the reason, counted, logged at error
 * level, and the shipper moves on. Nothing in it is deleted; reshipQuarantined() puts it back in line.
 * A rejected INSERT stores nothing: a segment (≤ batchMaxBytes, 16 MiB by default) is squashed into one
 * block, far below min_insert_block_size_rows/bytes, so the parse error comes before any part is written.
 */
export class SegmentShipper {
  readonly #o: SegmentShipperOptions;
  /** Sealed segments in shipping order; the first is the one in flight. */
  #line: SegmentFile[] = [];
  #queuedEvents = 0;
  #lineBytes = 0;
  #shipped = 0;
  #retries = 0;
  #batches = 0;
  #quarantinedNow = 0;
  #quarantine = { segments: 0, events: 0, bytes: 0 };

  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #shipping = false;
  #stopped = false;

  constructor(options: SegmentShipperOptions) {
    this.#o = options;
  }

  /** Starts shipping what a previous run left: its sealed segments, and counts its quarantine. */
  start(backlog: readonly SegmentFile[], quarantined: readonly SegmentFile[]): void {
    for (const q of quarantined) this.#countQuarantine(q, 1);
    for (const segment of backlog) this.#enqueue(segment);
    this.#loop = this.#ship();
  }

  /** A newly sealed segment joins the end of the line. */
  accept(segment: SegmentFile): void {
    this.#enqueue(segment);
    this.#wake?.();
  }

  /** Whether a segment sealed now would wait in line: one is in flight or waiting. */
  get busy(): boolean {
    return this.#shipping || this.#line.length > 0;
  }

  /** Whether a segment numbered up to `seq` is still waiting or in flight. */
  holdsUpTo(seq: number): boolean {
    const oldest = this.#line[0];
    return oldest !== undefined && oldest.seq <= seq;
  }

  /** Events in segments waiting in line (or in flight): read on every record(), so no counts() object. */
  get queuedEvents(): number {
    return this.#queuedEvents;
  }

  /** Bytes of the segments waiting in line (or in flight), for the log's bound. */
  get lineBytes(): number {
    return this.#lineBytes;
  }

  counts(): ShipperCounts {
    return {
      queuedEvents: this.#queuedEvents,
      lineBytes: this.#lineBytes,
      lineSegments: this.#line.length,
      shipped: this.#shipped,
      retries: this.#retries,
      batches: this.#batches,
      quarantined: this.#quarantinedNow,
      quarantinedSegments: this.#quarantine.segments,
      quarantinedEvents: this.#quarantine.events,
      quarantinedBytes: this.#quarantine.bytes,
    };
  }

  /** Stops after the INSERT in flight (or at once while waiting); what is left stays on disk. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  /**
   * Puts every quarantined segment back in line, under its own name (its deduplication token, so running
   * this twice, or a crash in between, never stores a segment twice). A segment still rejected is
   * quarantined again. Its bytes count against the log's bound again from now on.
   */
  async reshipQuarantined(): Promise<{ segments: number; events: number }> {
    let segments = 0;
    let events = 0;
    for (const q of await listQuarantine(this.#o.dir)) {
      const back = await unquarantineSegment(this.#o.dir, q, this.#o.fsync);
      if (!back) continue;
      this.#countQuarantine(q, -1);
      // Behind the segment in flight: the loop only ever takes the first in line.
      this.#enqueue(back);
      segments++;
      events += back.events;
    }
    if (segments > 0) {
      this.#o.logger.info(
        { segments, events },
        'quarantined event log segments put back in line for ClickHouse',
      );
      this.#wake?.();
    }
    return { segments, events };
  }

  #enqueue(segment: SegmentFile): void {
    this.#line.push(segment);
    this.#queuedEvents += segment.events;
    this.#lineBytes += segment.bytes;
  }

  async #ship(): Promise<void> {
    const { insert, logger, metrics } = this.#o;
    let attempt = 0;
    while (!this.#stopped) {
      if (this.#line.length === 0) this.#o.onIdle();
      const segment = this.#line[0];
      if (!segment) {
        this.#shipping = false;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
        continue;
      }
      this.#shipping = true;
      let inserted = false;
      try {
        // Only the acknowledged length: bytes past it (a write that failed half-way and could not be cut
        // back) must never reach ClickHouse, and a retry must send exactly the same payload for its token.
        const body = (await fsp.readFile(segment.path)).subarray(0, segment.bytes);
        const end = metrics.insertSeconds.startTimer();
        await insert({ token: segment.token, body, events: segment.events });
        end();
        inserted = true;
        this.#line.shift();
        this.#queuedEvents -= segment.events;
        this.#shipped += segment.events;
        this.#batches++;
        metrics.shipped.inc(segment.events);
        attempt = 0;
        // If this delete is lost to a crash, the replay after restart is dropped by deduplication.
        await fsp.rm(segment.path, { force: true });
        this.#lineBytes -= segment.bytes;
        this.#o.onChange();
      } catch (err) {
        if (inserted) {
          // Rows are in ClickHouse; only the file stayed. Account it as freed to keep the loop going.
          this.#lineBytes -= segment.bytes;
          logger.warn({ err, segment: segment.token }, 'could not delete a shipped event log segment');
          this.#o.onChange();
          continue;
        }
        if (this.#stopped) break;
        const verdict = classifyInsertError(err);
        if (verdict.permanent && (await this.#quarantineSegment(segment, verdict))) {
          attempt = 0;
          continue;
        }
        attempt++;
        this.#retries++;
        metrics.retries.inc();
        const delay = backoffDelay(attempt, this.#o.retryBaseMs, this.#o.retryMaxMs);
        logger.warn(
          { err, segment: segment.token, attempt, retryInMs: Math.round(delay) },
          'ClickHouse insert failed; retrying',
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }

  /**
   * Takes a segment ClickHouse will never accept out of the shipping order. If the move itself fails (a full
   * or read-only disk), the segment stays first in line and is retried like any failure.
   */
  async #quarantineSegment(segment: SegmentFile, verdict: InsertErrorClass): Promise<boolean> {
    const { logger } = this.#o;
    let moved: QuarantinedSegment;
    try {
      moved = await quarantineSegment(
        this.#o.dir,
        segment,
        {
          // A parse error quotes the input; a huge or odd row must not make the sidecar huge.
          error: verdict.message.slice(0, 4096),
          ...(verdict.code !== undefined ? { code: verdict.code } : {}),
          ...(verdict.type !== undefined ? { type: verdict.type } : {}),
        },
        this.#o.fsync,
      );
    } catch (moveErr) {
      logger.error(
        { err: moveErr, segment: segment.token, insertError: verdict.message },
        'could not quarantine an event log segment ClickHouse rejected; retrying it',
      );
      return false;
    }
    this.#line.shift();
    this.#queuedEvents -= segment.events;
    this.#lineBytes -= segment.bytes;
    this.#quarantinedNow++;
    this.#o.metrics.quarantined.inc();
    this.#countQuarantine(moved, 1);
    logger.error(
      {
        segment: segment.token,
        code: verdict.code,
        type: verdict.type,
        events: segment.events,
        bytes: segment.bytes,
        path: moved.path,
        insertError: verdict.message.slice(0, 4096),
      },
      'ClickHouse rejected an event log segment for good; quarantined it (re-ship with reshipQuarantined once fixed)',
    );
    this.#o.onChange();
    return true;
  }

  #countQuarantine(segment: SegmentFile, sign: 1 | -1): void {
    this.#quarantine.segments += sign;
    this.#quarantine.events += sign * segment.events;
    this.#quarantine.bytes += sign * segment.bytes;
  }
}
