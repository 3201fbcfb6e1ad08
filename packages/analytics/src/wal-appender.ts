import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@pitchline/core';
import { busySegmentHoldMs } from './busy-segment-hold';
import { fsyncDir, newSegmentName, type SegmentFile } from './wal';

export interface WalAppenderOptions {
  dir: string;
  /** A segment is sealed at this size… */
  batchMaxBytes: number;
  /** …or at this many events… */
  batchMaxEvents: number;
  /** …or this long after its first event. */
  batchMaxDelayMs: number;
  /** Under sustained load a segment is held past batchMaxDelayMs (busy-segment-hold.ts) to reach this. */
  batchMinEvents: number;
  /** fdatasync every group commit before acknowledging. */
  fsync: boolean;
  logger: Logger;
  /**
   * Settles once the log a previous run left is recovered (resumeAfter() was called by then): nothing is
   * written before. If it rejects, the records waiting for it are rejected with its error.
   */
  recovered: () => Promise<void>;
  /** Whether a segment sealed now would only wait in line behind others (the shipper is busy). */
  shipperBusy: () => boolean;
  /** A sealed segment, durable up to its `bytes`, with at least one event: its turn to be shipped. */
  onSealed: (segment: SegmentFile) => void;
  /** After every change a flush() or close() may be waiting for. */
  onChange: () => void;
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

/** Two overlapping syncs already hide the JS work between rounds; more would only queue in the kernel. */
const MAX_SYNCS_IN_FLIGHT = 2;

/**
 * The write half of the event log: appends rows to the open segment with group commit and seals segments
 * for the shipper. Records arriving while a write + fdatasync is in flight are collected and written
 * together by the next one, so hundreds of concurrent callers cost one syscall pair per round. A record's
 * promise resolves once its row is durable. A sealed segment never changes again, which is what lets its
 * name serve as the deduplication token of its INSERT.
 */
export class WalAppender {
  readonly #o: WalAppenderOptions;

  #pending: Pending[] = [];
  #writing = false;
  #open: OpenSegment | undefined;
  /** A time-bound seal that fell due while a write was in flight; done right after that write. */
  #sealDue = false;
  /** Sealed segments whose last syncs are still running. */
  #sealing = new Set<OpenSegment>();
  #syncs = new Set<Promise<void>>();
  #nextSeq = 1;
  #appended = 0;
  #settled = 0;
  #heldBytes = 0;
  #durableEvents = 0;

  constructor(options: WalAppenderOptions) {
    this.#o = options;
  }

  /** Numbers new segments after the highest one a previous run left. */
  resumeAfter(seq: number): void {
    this.#nextSeq = Math.max(this.#nextSeq, seq + 1);
  }

  /**
   * Bytes of records accepted and not yet handed to the shipper: waiting, being written, or durable in a
   * segment not sealed yet. Counted from the moment append() is called, so the log's bound holds.
   */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Records durable in segments not yet handed to the shipper. */
  get durableEvents(): number {
    return this.#durableEvents;
  }

  /** Records appended so far; a flush waits for this many to settle. */
  get appended(): number {
    return this.#appended;
  }

  /** Whether the open segment holds an acknowledged record (it is a segment the shipper will get). */
  get openSegmentHasEvents(): boolean {
    return this.#open !== undefined && this.#open.events > 0;
  }

  /** Whether the first `count` records appended are acknowledged or rejected, with no write in flight. */
  hasSettled(count: number): boolean {
    return this.#settled >= count && !this.#writing;
  }

  /** Whether a segment numbered up to `seq` is sealed but still waiting for its last sync. */
  isSealingUpTo(seq: number): boolean {
    return [...this.#sealing].some((s) => s.seq <= seq);
  }

  /** No write and no sync in flight: the files may be closed. */
  get idle(): boolean {
    return !this.#writing && this.#syncs.size === 0;
  }

  /** Resolves once the row is durable in the log; rejects with the write or sync error (nothing kept). */
  append(line: string, bytes: number): Promise<void> {
    this.#heldBytes += bytes;
    this.#appended++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, bytes, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  /** Seals the open segment (now, or right after the write in flight); returns the last sequence number used. */
  sealOpenSegment(): number {
    const open = this.#open;
    if (!open) return this.#nextSeq - 1;
    this.#requestSeal();
    return open.seq;
  }

  /** The shipper ran dry: a segment held open because it was busy is sealed now. */
  sealIfDue(): void {
    if (this.#open?.due) this.#requestSeal();
  }

  /** Lets go of the open segment's file; what it holds stays on disk for the next start. */
  async close(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    if (open.timer) clearTimeout(open.timer);
    this.#open = undefined;
    await open.file.close().catch(() => {});
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      await this.#o.recovered();
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#append(batch);
      }
    } catch (err) {
      // Only recovery can fail here (#append settles its own records); nothing can be written without it.
      const batch = this.#pending;
      this.#pending = [];
      this.#fail(batch, err);
    } finally {
      this.#writing = false;
      if (this.#sealDue) this.#seal();
      this.#o.onChange();
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
    const { batchMaxBytes, batchMaxEvents } = this.#o;
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
          segment.written + bytes + next <= batchMaxBytes && segment.writtenEvents + (j - i) < batchMaxEvents;
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
        this.#o.logger.error({ err, segment: segment.token }, 'event log write failed');
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
      if (segment.written >= batchMaxBytes || segment.writtenEvents >= batchMaxEvents || this.#sealDue) {
        this.#seal();
      }
    }
  }

  async #sync(segment: OpenSegment, round: Round): Promise<void> {
    segment.syncing++;
    try {
      if (this.#o.fsync) await segment.file.datasync();
      if (segment.broken) throw new Error('an earlier fdatasync of this segment failed');
      this.#acknowledge(segment, round.end);
    } catch (err) {
      this.#o.logger.error({ err, segment: segment.token }, 'event log fdatasync failed');
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
      this.#o.onChange();
    }
  }

  /** Everything up to `end` is durable: resolve those rounds, in order. */
  #acknowledge(segment: OpenSegment, end: number): void {
    while (segment.rounds.length > 0 && (segment.rounds[0] as Round).end <= end) {
      const round = segment.rounds.shift() as Round;
      segment.bytes = round.end;
      segment.events += round.records.length;
      this.#durableEvents += round.records.length;
      this.#settled += round.records.length;
      for (const p of round.records) p.resolve();
    }
  }

  #fail(records: Pending[], err: unknown): void {
    for (const p of records) {
      this.#heldBytes -= p.bytes;
      p.reject(err);
    }
    this.#settled += records.length;
  }

  async #openSegment(): Promise<OpenSegment> {
    const seq = this.#nextSeq++;
    const { token, file } = newSegmentName(seq);
    const path = join(this.#o.dir, file);
    const handle = await fsp.open(path, 'wx');
    if (this.#o.fsync) await fsyncDir(this.#o.dir);
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

  #armSealTimer(segment: OpenSegment, delay = this.#o.batchMaxDelayMs): void {
    segment.firstWriteAt ??= performance.now();
    segment.timer = setTimeout(() => {
      if (this.#open !== segment) return;
      const hold = busySegmentHoldMs({
        events: segment.writtenEvents,
        ageMs: performance.now() - (segment.firstWriteAt ?? 0),
        batchMaxDelayMs: this.#o.batchMaxDelayMs,
        batchMinEvents: this.#o.batchMinEvents,
      });
      if (hold !== undefined) {
        this.#armSealTimer(segment, hold);
        return;
      }
      // While the shipper is busy a sealed segment would only wait in line, so the open one keeps
      // growing (up to the size bounds) and is sealed the moment the shipper runs dry: fewer, larger
      // INSERTs under load, and no added delay when idle.
      if (this.#o.shipperBusy()) segment.due = true;
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
    void segment.file
      .close()
      .catch((err) => this.#o.logger.warn({ err }, 'closing an event log segment failed'));
    if (segment.events === 0) {
      void fsp.rm(segment.path, { force: true });
      this.#o.onChange();
      return;
    }
    // Its acknowledged records, and nothing else, are what it holds: they become the shipper's to count.
    this.#heldBytes -= segment.bytes;
    this.#durableEvents -= segment.events;
    this.#o.onSealed({
      seq: segment.seq,
      token: segment.token,
      path: segment.path,
      bytes: segment.bytes,
      events: segment.events,
    });
    this.#o.onChange();
  }
}
