import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseEvent } from '@pitchline/core';
import type { Registry } from 'prom-client';
import { backoffDelay } from './backoff';
import { type ClickHouseHandle, chdbConnectionOf } from './clickhouse';
import {
  classifyInsertError,
  EventLogFullError,
  EventWriterClosedError,
  type InsertErrorClass,
} from './errors';
import { toEventRow } from './event-row';
import {
  fsyncDir,
  listQuarantine,
  lockWal,
  newSegmentName,
  quarantineSegment,
  recoverSegments,
  type SegmentFile,
  unquarantineSegment,
} from './wal';
import { createWriterMetrics, type EventWriterStats } from './writer-metrics';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** One sealed segment, ready to be inserted as it is. */
export interface SegmentBatch {
  /** The segment's name; used as insert_deduplication_token so a replayed segment is dropped as a duplicate. */
  token: string;
  /** JSONEachRow rows, one per line, exactly as they sit in the log. */
  body: Buffer;
  events: number;
}

export type InsertBatch = (batch: SegmentBatch) => Promise<void>;

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

/** The INSERT of one segment: the raw payload with its deduplication token. */
export function clickHouseInserter(ch: ClickHouseHandle): InsertBatch {
  const table = `${ch.database}.events`;
  const chdb = chdbConnectionOf(ch);
  if (chdb) {
    // chDB's raw insert hands the Buffer to the engine without copying it into a JS string first: through
    // the generic client a large batch is decoded to a string on the event loop, stalling every record().
    return async ({ token, body }) => {
      await chdb.chdb.rawInsert({
        table,
        values: body,
        format: 'JSONEachRow',
        settings: { insert_deduplication_token: token },
      });
    };
  }
  // Query-level SETTINGS, not clickhouse_settings: the token must apply to this INSERT only (chDB, for
  // one, turns clickhouse_settings into a session-wide SET that would stick to later, unrelated inserts).
  // On a cluster the Distributed table must forward synchronously, or the INSERT would be confirmed
  // before the rows reach their shard and the segment deleted too early.
  const extra = ch.cluster ? ', distributed_foreground_insert = 1' : '';
  return async ({ token, body }) => {
    const result = await ch.client.exec({
      query: `INSERT INTO ${table} SETTINGS insert_deduplication_token = '${token}'${extra} FORMAT JSONEachRow`,
      values: Readable.from([body], { objectMode: false }),
    });
    result.stream.destroy();
  };
}

interface Pending {
  line: string;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One group commit: its records are acknowledged once the segment is durable up to `end`. */
interface Round {
  end: number;
  records: Pending[];
}

/** Two overlapping syncs already hide the JS work between rounds; more would only queue in the kernel. */
const MAX_SYNCS_IN_FLIGHT = 2;

/**
 * How far past batchMaxDelayMs a busy segment may be held to reach batchMinEvents. Every INSERT has a
 * large fixed cost in ClickHouse (a new part of ~45 column files, then merges that rewrite it): measured
 * here on chDB with ~1 KB rows, 1k-row INSERTs cost ~120 µs of CPU per row, 2.5k ~70, 5k ~35–45, 20k ~17–25.
 * At 250 ms, a busy writer's segments held ~2.5k rows and the writer spent about twice the CPU per event
 * of plain 20k-row INSERTs (bench:ingest: 81 vs 42 µs; with a 1 s bound, 57 vs 42). Quiet traffic is not
 * held: a segment that would not reach the minimum within the cap is sealed at batchMaxDelayMs as before.
 */
const BUSY_DELAY_FACTOR = 4;

/** `bytes`/`events` count what is acknowledged (durable); `written*` what was written, maybe not yet synced. */
interface OpenSegment extends SegmentFile {
  written: number;
  writtenEvents: number;
  rounds: Round[];
  syncing: number;
  sealing?: boolean;
  broken?: boolean;
  file: fsp.FileHandle;
  timer?: NodeJS.Timeout;
  /** Its time bound passed while the shipper was busy. */
  due?: boolean;
  /** performance.now() of its first write, for the busy-segment rule. */
  firstWriteAt?: number;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * The only way events enter ClickHouse.
 *
 * record() validates, appends the row to a local write-ahead log and resolves once the row is durable.
 * Appends use group commit: records arriving while a write + fdatasync is in flight are collected and
 * written together by the next one, so hundreds of concurrent callers cost one syscall pair per round.
 * A background loop ships sealed segments, oldest first, one INSERT per segment, and deletes a segment
 * only after ClickHouse confirmed it. Because the segment's bytes never change once sealed and its name is
 * the deduplication token, a retry after a timeout, or a replay after a crash between INSERT and delete,
 * is dropped by ClickHouse instead of stored twice (the table keeps a deduplication window, see migration
 * 0001). Segments are shipped strictly one at a time, so the window only has to cover one writer's backlog.
 *
 * A segment ClickHouse rejects for good (a line it cannot parse, say after a schema change: see
 * classifyInsertError) would otherwise be retried forever in front of every later event until the log is
 * full. It is moved to `<walDir>/quarantine/` with a JSON sidecar giving the reason, counted
 * (pitchline_event_segments_quarantined_total, pitchline_event_quarantine_events/_bytes), logged at error
 * level, and the shipper moves on. Nothing in it is deleted; reshipQuarantined() puts it back in line.
 * A rejected INSERT stores nothing: a segment (≤ batchMaxBytes, 16 MiB by default) is squashed into one
 * block, far below min_insert_block_size_rows/bytes, so the parse error comes before any part is written.
 */
export class EventWriter {
  readonly #ch: ClickHouseHandle;
  readonly #dir: string;
  readonly #maxLogBytes: number;
  readonly #batchMaxBytes: number;
  readonly #batchMaxEvents: number;
  readonly #batchMaxDelayMs: number;
  readonly #batchMinEvents: number;
  readonly #fsync: boolean;
  readonly #log: Logger;
  readonly #insert: InsertBatch;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #metrics: ReturnType<typeof createWriterMetrics>;

  #pending: Pending[] = [];
  #writing = false;
  #open: OpenSegment | undefined;
  /** A time-bound seal that fell due while a write was in flight; done right after that write. */
  #sealDue = false;
  #sealed: SegmentFile[] = [];
  /** Sealed segments whose last syncs are still running. */
  #sealing = new Set<OpenSegment>();
  #syncs = new Set<Promise<void>>();
  #nextSeq = 1;
  #enqueued = 0;
  #settled = 0;
  #waiters: Waiter[] = [];

  #queued = 0;
  #shipped = 0;
  #retries = 0;
  #rejectedFull = 0;
  #logBytes = 0;
  #batches = 0;
  #quarantinedNow = 0;
  #quarantine = { segments: 0, events: 0, bytes: 0 };

  #started: Promise<void> | undefined;
  #shipLoop: Promise<void> | undefined;
  #wakeShipper: (() => void) | undefined;
  #shipping = false;
  #closing = false;
  #stopped = false;
  #failure: unknown;
  #unlock: (() => Promise<void>) | undefined;

  constructor(options: EventWriterOptions) {
    this.#ch = options.ch;
    this.#dir = options.walDir;
    this.#maxLogBytes = options.maxLogBytes ?? 512 * 1024 * 1024;
    this.#batchMaxBytes = options.batchMaxBytes ?? 16 * 1024 * 1024;
    this.#batchMaxEvents = options.batchMaxEvents ?? 20_000;
    this.#batchMaxDelayMs = options.batchMaxDelayMs ?? 250;
    this.#batchMinEvents = options.batchMinEvents ?? Math.min(5_000, this.#batchMaxEvents);
    this.#fsync = options.fsync ?? true;
    this.#log = options.logger ?? silentLogger;
    this.#insert = options.insert ?? clickHouseInserter(options.ch);
    this.#retryBaseMs = options.retryBaseMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
    this.#metrics = createWriterMetrics(options.registry, () => this.stats());
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
      for (const q of await listQuarantine(this.#dir)) this.#countQuarantine(q, 1);
      if (this.#quarantine.segments > 0) {
        this.#log.warn(
          { ...this.#quarantine, dir: join(this.#dir, 'quarantine') },
          'event log has quarantined segments that ClickHouse rejected; they are not shipped until re-shipped',
        );
      }
      for (const segment of segments) {
        this.#sealed.push(segment);
        this.#queued += segment.events;
        this.#logBytes += segment.bytes;
        this.#nextSeq = Math.max(this.#nextSeq, segment.seq + 1);
      }
      if (segments.length > 0) {
        this.#log.info(
          { segments: segments.length, events: this.#queued, bytes: this.#logBytes },
          'event log recovered; shipping the backlog',
        );
      }
      this.#shipLoop = this.#ship();
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
    if (this.#logBytes + bytes > this.#maxLogBytes) {
      this.#rejectedFull++;
      this.#metrics.rejectedFull.inc();
      throw new EventLogFullError(
        `event log is full (${this.#logBytes} of ${this.#maxLogBytes} bytes not yet shipped to ClickHouse); ` +
          'the event was not recorded',
      );
    }
    this.#logBytes += bytes;
    this.#enqueued++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, bytes, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      await this.start();
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#append(batch);
      }
    } catch (err) {
      // Only recovery can fail here (append settles its own records); nothing can be written without it.
      const batch = this.#pending;
      this.#pending = [];
      for (const p of batch) {
        this.#logBytes -= p.bytes;
        p.reject(err);
      }
      this.#settled += batch.length;
    } finally {
      this.#writing = false;
      if (this.#sealDue) this.#seal();
      this.#notify();
    }
  }

  /**
   * Writes a group of records, cutting segments at the size/count bounds. Writes are issued one after the
   * other, but a write does not wait for the previous round's fdatasync: up to MAX_SYNCS_IN_FLIGHT
   * syncs overlap, so callers acknowledged by one sync prepare their next records while the next sync
   * runs. A round is acknowledged once a sync that started after its write completed has finished; as
   * writes are sequential, that sync covers every earlier write too, so what is durable is always a
   * prefix of the segment (recovery only ever has to cut a torn tail).
   */
  async #append(batch: Pending[]): Promise<void> {
    let i = 0;
    while (i < batch.length) {
      let segment: OpenSegment;
      try {
        segment = this.#open ?? (await this.#openSegment());
      } catch (err) {
        this.#fail(batch.slice(i), err);
        return;
      }
      if (segment.broken) {
        this.#seal();
        continue;
      }
      let j = i;
      let bytes = 0;
      while (j < batch.length) {
        const next = (batch[j] as Pending).bytes;
        const fits =
          segment.written + bytes + next <= this.#batchMaxBytes &&
          segment.writtenEvents + (j - i) < this.#batchMaxEvents;
        // An empty segment always takes one record, so a record larger than the bound still gets written.
        if (!fits && !(segment.writtenEvents === 0 && j === i)) break;
        bytes += next;
        j++;
      }
      if (j === i) {
        this.#seal();
        continue;
      }
      const chunk = batch.slice(i, j);
      i = j;
      const payload = Buffer.from(chunk.map((p) => p.line).join(''));
      const start = segment.written;
      try {
        // Positional writes: after a failed write the segment is cut back to its last good length, so a
        // partial write can never leave a torn line in the middle of a segment.
        let written = 0;
        while (written < payload.length) {
          const r = await segment.file.write(payload, written, payload.length - written, start + written);
          written += r.bytesWritten;
        }
      } catch (err) {
        this.#log.error({ err, segment: segment.token }, 'event log write failed');
        try {
          await segment.file.truncate(start);
        } catch {
          // The segment's tail is unknown: keep what is acknowledged and never append to it again.
        }
        this.#seal();
        this.#fail(chunk, err);
        continue;
      }
      if (segment.writtenEvents === 0) this.#armSealTimer(segment);
      segment.written += bytes;
      segment.writtenEvents += chunk.length;
      const round: Round = { end: segment.written, records: chunk };
      segment.rounds.push(round);
      const sync = this.#sync(segment, round);
      this.#syncs.add(sync);
      void sync.finally(() => this.#syncs.delete(sync));
      if (this.#syncs.size >= MAX_SYNCS_IN_FLIGHT) await Promise.race(this.#syncs);
      if (
        segment.written >= this.#batchMaxBytes ||
        segment.writtenEvents >= this.#batchMaxEvents ||
        this.#sealDue
      ) {
        this.#seal();
      }
    }
  }

  async #sync(segment: OpenSegment, round: Round): Promise<void> {
    segment.syncing++;
    try {
      if (this.#fsync) await segment.file.datasync();
      if (segment.broken) throw new Error('an earlier fdatasync of this segment failed');
      this.#acknowledge(segment, round.end);
    } catch (err) {
      this.#log.error({ err, segment: segment.token }, 'event log fdatasync failed');
      // After a failed sync the state of the page cache is unknown: nothing past the acknowledged prefix is
      // trusted, and the segment takes no more writes.
      segment.broken = true;
      const lost = segment.rounds.splice(0);
      this.#fail(
        lost.flatMap((r) => r.records),
        err,
      );
      if (this.#open === segment) this.#requestSeal();
    } finally {
      segment.syncing--;
      if (segment.syncing === 0 && segment.sealing) this.#finishSeal(segment);
      this.#notify();
    }
  }

  /** Everything up to `end` is durable: resolve those rounds, in order. */
  #acknowledge(segment: OpenSegment, end: number): void {
    while (segment.rounds.length > 0 && (segment.rounds[0] as Round).end <= end) {
      const round = segment.rounds.shift() as Round;
      segment.bytes = round.end;
      segment.events += round.records.length;
      this.#queued += round.records.length;
      this.#settled += round.records.length;
      for (const p of round.records) p.resolve();
    }
  }

  #fail(records: Pending[], err: unknown): void {
    for (const p of records) {
      this.#logBytes -= p.bytes;
      p.reject(err);
    }
    this.#settled += records.length;
  }

  async #openSegment(): Promise<OpenSegment> {
    const seq = this.#nextSeq++;
    const { token, file } = newSegmentName(seq);
    const path = join(this.#dir, file);
    const handle = await fsp.open(path, 'wx');
    if (this.#fsync) await fsyncDir(this.#dir);
    this.#open = {
      seq,
      token,
      path,
      bytes: 0,
      events: 0,
      written: 0,
      writtenEvents: 0,
      rounds: [],
      syncing: 0,
      file: handle,
    };
    return this.#open;
  }

  /** A segment filling fast enough to reach batchMinEvents within the cap is worth holding a little longer. */
  #holdBusy(segment: OpenSegment): number | undefined {
    const age = performance.now() - (segment.firstWriteAt ?? 0);
    const cap = this.#batchMaxDelayMs * BUSY_DELAY_FACTOR;
    if (segment.writtenEvents >= this.#batchMinEvents || age >= cap) return undefined;
    if ((segment.writtenEvents / Math.max(age, 1)) * cap < this.#batchMinEvents) return undefined;
    return Math.max(1, Math.min(this.#batchMaxDelayMs, cap - age));
  }

  #armSealTimer(segment: OpenSegment, delay = this.#batchMaxDelayMs): void {
    segment.firstWriteAt ??= performance.now();
    segment.timer = setTimeout(() => {
      if (this.#open !== segment) return;
      const hold = this.#holdBusy(segment);
      if (hold !== undefined) {
        this.#armSealTimer(segment, hold);
        return;
      }
      // While the shipper is busy a sealed segment would only wait in line, so the open one keeps
      // growing (up to the size bounds) and is sealed the moment the shipper runs dry: fewer, larger
      // INSERTs under load, and no added delay when idle.
      if (this.#shipping || this.#sealed.length > 0) segment.due = true;
      else this.#requestSeal();
    }, delay);
    segment.timer.unref();
  }

  #requestSeal(): void {
    if (this.#writing) this.#sealDue = true;
    else this.#seal();
  }

  /**
   * Takes the open segment out of the write path. Never called while a write to it is in flight; it is
   * handed to the shipper once its last sync settled, with exactly its acknowledged length.
   */
  #seal(): void {
    const segment = this.#open;
    this.#sealDue = false;
    if (!segment) return;
    this.#open = undefined;
    if (segment.timer) clearTimeout(segment.timer);
    segment.sealing = true;
    this.#sealing.add(segment);
    if (segment.syncing === 0) this.#finishSeal(segment);
  }

  #finishSeal(segment: OpenSegment): void {
    if (!this.#sealing.delete(segment)) return;
    void segment.file.close().catch((err) => this.#log.warn({ err }, 'closing an event log segment failed'));
    if (segment.events === 0) {
      void fsp.rm(segment.path, { force: true });
      this.#notify();
      return;
    }
    this.#sealed.push({
      seq: segment.seq,
      token: segment.token,
      path: segment.path,
      bytes: segment.bytes,
      events: segment.events,
    });
    this.#wakeShipper?.();
    this.#notify();
  }

  async #ship(): Promise<void> {
    let attempt = 0;
    while (!this.#stopped) {
      if (this.#sealed.length === 0 && this.#open?.due) this.#requestSeal();
      const segment = this.#sealed[0];
      if (!segment) {
        this.#shipping = false;
        await new Promise<void>((resolve) => {
          this.#wakeShipper = resolve;
        });
        this.#wakeShipper = undefined;
        continue;
      }
      this.#shipping = true;
      let inserted = false;
      try {
        // Only the acknowledged length: bytes past it (a write that failed half-way and could not be cut
        // back) must never reach ClickHouse, and a retry must send exactly the same payload for its token.
        const body = (await fsp.readFile(segment.path)).subarray(0, segment.bytes);
        const end = this.#metrics.insertSeconds.startTimer();
        await this.#insert({ token: segment.token, body, events: segment.events });
        end();
        inserted = true;
        this.#sealed.shift();
        this.#queued -= segment.events;
        this.#shipped += segment.events;
        this.#batches++;
        this.#metrics.shipped.inc(segment.events);
        attempt = 0;
        // If this delete is lost to a crash, the replay after restart is dropped by deduplication.
        await fsp.rm(segment.path, { force: true });
        this.#logBytes -= segment.bytes;
        this.#notify();
      } catch (err) {
        if (inserted) {
          // Rows are in ClickHouse; only the file stayed. Account it as freed to keep the loop going.
          this.#logBytes -= segment.bytes;
          this.#log.warn({ err, segment: segment.token }, 'could not delete a shipped event log segment');
          this.#notify();
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
        this.#metrics.retries.inc();
        const delay = backoffDelay(attempt, this.#retryBaseMs, this.#retryMaxMs);
        this.#log.warn(
          { err, segment: segment.token, attempt, retryInMs: Math.round(delay) },
          'ClickHouse insert failed; retrying',
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wakeShipper = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wakeShipper = undefined;
      }
    }
  }

  /**
   * Takes a segment ClickHouse will never accept out of the shipping order. If the move itself fails (a full
   * or read-only disk), the segment stays first in line and is retried like any failure, as before.
   */
  async #quarantineSegment(segment: SegmentFile, verdict: InsertErrorClass): Promise<boolean> {
    let moved: SegmentFile;
    try {
      moved = await quarantineSegment(
        this.#dir,
        segment,
        {
          // A parse error quotes the input; a huge or odd row must not make the sidecar huge.
          error: verdict.message.slice(0, 4096),
          ...(verdict.code !== undefined ? { code: verdict.code } : {}),
          ...(verdict.type !== undefined ? { type: verdict.type } : {}),
        },
        this.#fsync,
      );
    } catch (moveErr) {
      this.#log.error(
        { err: moveErr, segment: segment.token, insertError: verdict.message },
        'could not quarantine an event log segment ClickHouse rejected; retrying it',
      );
      return false;
    }
    this.#sealed.shift();
    this.#queued -= segment.events;
    this.#logBytes -= segment.bytes;
    this.#quarantinedNow++;
    this.#metrics.quarantined.inc();
    this.#countQuarantine(moved, 1);
    this.#log.error(
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
    this.#notify();
    return true;
  }

  #countQuarantine(segment: SegmentFile, sign: 1 | -1): void {
    this.#quarantine.segments += sign;
    this.#quarantine.events += sign * segment.events;
    this.#quarantine.bytes += sign * segment.bytes;
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
    let segments = 0;
    let events = 0;
    for (const q of await listQuarantine(this.#dir)) {
      const back = await unquarantineSegment(this.#dir, q, this.#fsync);
      if (!back) continue;
      this.#countQuarantine(q, -1);
      // Behind the segment in flight: the shipper only ever takes #sealed[0].
      this.#sealed.push(back);
      this.#queued += back.events;
      this.#logBytes += back.bytes;
      segments++;
      events += back.events;
    }
    if (segments > 0) {
      this.#log.info({ segments, events }, 'quarantined event log segments put back in line for ClickHouse');
      this.#wakeShipper?.();
    }
    return { segments, events };
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

  /**
   * Resolves once every event recorded before the call is in ClickHouse, or quarantined because ClickHouse
   * rejected its segment for good (waits out an outage).
   */
  async flush(): Promise<void> {
    await this.start();
    const target = this.#enqueued;
    await this.#until(() => this.#settled >= target && !this.#writing);
    // Records that arrive from now on may join the open segment; sealing it a little later is harmless.
    const lastSeq = this.#open ? this.#open.seq : this.#nextSeq - 1;
    if (this.#open) this.#requestSeal();
    await this.#until(() => {
      const oldest = this.#sealed[0];
      const sealing = [...this.#sealing].some((s) => s.seq <= lastSeq);
      return !sealing && (oldest === undefined || oldest.seq > lastSeq);
    });
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
    await this.#until(() => !this.#writing && this.#syncs.size === 0);
    this.#stopped = true;
    this.#wakeShipper?.();
    await this.#shipLoop;
    const open = this.#open;
    if (open) {
      if (open.timer) clearTimeout(open.timer);
      this.#open = undefined;
      await open.file.close().catch(() => {});
    }
    await this.#unlock?.();
    if (this.#queued > 0) {
      this.#log.warn({ queued: this.#queued }, 'EventWriter closed with events still in the log');
    }
  }

  stats(): EventWriterStats {
    return {
      queued: this.#queued,
      shipped: this.#shipped,
      retries: this.#retries,
      rejectedFull: this.#rejectedFull,
      logBytes: this.#logBytes,
      batches: this.#batches,
      pendingSegments: this.#sealed.length + (this.#open && this.#open.events > 0 ? 1 : 0),
      quarantined: this.#quarantinedNow,
      quarantinedSegments: this.#quarantine.segments,
      quarantinedEvents: this.#quarantine.events,
      quarantinedBytes: this.#quarantine.bytes,
    };
  }

  /** The database the writer inserts into (for logs and tests). */
  get database(): string {
    return this.#ch.database;
  }
}
