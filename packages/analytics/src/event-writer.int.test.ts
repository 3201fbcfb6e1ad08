import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@pitchline/core';
import { InvalidEventError, type PitchlineEvent, parseEvent } from '@pitchline/core';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fixtures';
import { clickHouseInserter, type SegmentBatch } from './clickhouse-inserter';
import { EventLogFullError } from './errors';
import { toEventRow } from './event-row';
import { EventWriter, type EventWriterOptions } from './event-writer';
import { countByEventId, openTestClickHouse, type TestClickHouse } from './testing';
import { newSegmentName, QUARANTINE_DIR, type QuarantineSidecar, WalLockedError } from './wal';

let ch: TestClickHouse;
const dirs: string[] = [];
const writers: EventWriter[] = [];

beforeAll(async () => {
  ch = await openTestClickHouse();
});
afterAll(async () => {
  await ch.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close({ timeoutMs: 100 });
  await ch.client.command({ query: `TRUNCATE TABLE ${ch.database}.events` });
});

function walDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pitchline-wal-'));
  dirs.push(d);
  return d;
}

/** A writer whose INSERTs are recorded (and go to the real chDB unless `insert` says otherwise). */
function writer(options: Partial<EventWriterOptions> = {}) {
  const batches: SegmentBatch[] = [];
  const real = clickHouseInserter(ch);
  const w = new EventWriter({
    ch,
    walDir: walDir(),
    retryBaseMs: 5,
    retryMaxMs: 20,
    insert: async (batch) => {
      await (options.insert ?? real)(batch);
      batches.push(batch);
    },
    ...Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'insert')),
  });
  writers.push(w);
  return { w, batches, real };
}

function events(n: number, from = 0): PitchlineEvent[] {
  return Array.from({ length: n }, (_, i) => makeEvent(from + i));
}

async function expectExactlyOnce(recorded: PitchlineEvent[]): Promise<void> {
  const counts = await countByEventId(ch);
  expect(counts.size).toBe(recorded.length);
  for (const e of recorded) expect(counts.get(e.event_id)).toBe(1);
}

describe('EventWriter batching', () => {
  it('ships many concurrent records in few INSERTs, cut at batchMaxEvents', async () => {
    const { w, batches } = writer({ batchMaxEvents: 100, batchMaxDelayMs: 60_000 });
    const recorded = events(250);
    // Hundreds of concurrent callers share a handful of write + fdatasync rounds.
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    expect(batches.map((b) => b.events)).toEqual([100, 100, 50]);
    await expectExactlyOnce(recorded);
    expect(w.stats()).toMatchObject({ queued: 0, shipped: 250, batches: 3, logBytes: 0 });
  });

  it('cuts batches at batchMaxBytes', async () => {
    const recorded = events(40);
    const lineBytes = Math.max(...recorded.map((e) => JSON.stringify(e).length));
    const { w, batches } = writer({ batchMaxBytes: lineBytes * 6, batchMaxDelayMs: 60_000 });
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    expect(batches.length).toBeGreaterThanOrEqual(6);
    for (const b of batches) expect(b.body.length).toBeLessThanOrEqual(lineBytes * 6);
    expect(batches.reduce((n, b) => n + b.events, 0)).toBe(40);
    await expectExactlyOnce(recorded);
  });

  it('ships a quiet trickle after batchMaxDelayMs without any flush', async () => {
    const { w, batches } = writer({ batchMaxDelayMs: 100 });
    const recorded = events(3);
    const started = Date.now();
    for (const e of recorded) await w.record(e);
    while (batches.length === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(batches.map((b) => b.events)).toEqual([3]);
    await expectExactlyOnce(recorded);
  });

  it('under sustained load, holds a time-bound segment until it is worth an INSERT (batchMinEvents)', async () => {
    // 150 events at once, then 100 more 150 ms later: at the 100 ms time bound the open segment has 150 of
    // the 200 an INSERT is worth and fills fast enough to reach them within the 4 × 100 ms cap, so it is
    // held and the later events join it: one segment of 250. Without the hold it would be sealed at 150.
    // The INSERT is a no-op and fsync off: this is about sealing, not about the machine's disk or chDB, and
    // a late timer on a loaded machine only moves the second burst closer to the cap (250 ms of margin).
    const { w, batches } = writer({
      batchMaxDelayMs: 100,
      batchMinEvents: 200,
      fsync: false,
      insert: async () => {},
    });
    const recorded = events(250);
    await Promise.all(recorded.slice(0, 150).map((e) => w.record(e)));
    await new Promise((r) => setTimeout(r, 150));
    await Promise.all(recorded.slice(150).map((e) => w.record(e)));
    await w.flush();
    expect(batches.map((b) => b.events)).toEqual([250]);
  });

  it('does not hold quiet traffic past batchMaxDelayMs, whatever batchMinEvents says', async () => {
    // A no-op INSERT: the time measured is the sealing decision's, not chDB's (which took over 600 ms of the
    // 900 on a loaded machine).
    const { w, batches } = writer({ batchMaxDelayMs: 250, batchMinEvents: 10_000, insert: async () => {} });
    const started = Date.now();
    await w.record(makeEvent(0));
    while (batches.length === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 10));
    // One event in 250 ms projects to 4 by the cap: far from 10,000, so it is sealed at the time bound,
    // not held to the 1 s cap (the margin is for a loaded machine's late timers and slow INSERT).
    expect(Date.now() - started).toBeLessThan(900);
    expect(batches.map((b) => b.events)).toEqual([1]);
  });

  it('segment bytes are the JSONEachRow payload, so a batch is inserted as it sits on disk', async () => {
    const { w, batches } = writer({ batchMaxDelayMs: 60_000 });
    await w.record(makeEvent(0));
    await w.flush();
    const row = JSON.parse((batches[0] as SegmentBatch).body.toString('utf8'));
    expect(row).toMatchObject({ type: 'turn', 'slots.name': ['product'] });
  });

  it('under a busy shipper, lets the open segment grow past its time bound instead of queueing small ones', async () => {
    const { w, batches, real } = writer({
      batchMaxDelayMs: 20,
      insert: async (b) => {
        await new Promise((r) => setTimeout(r, 300));
        await real(b);
      },
    });
    const recorded = events(40);
    await w.record(recorded[0] as PitchlineEvent);
    // The first segment ships (slowly); records trickling in meanwhile wait in one growing segment.
    await new Promise((r) => setTimeout(r, 50));
    for (const e of recorded.slice(1)) {
      await w.record(e);
      await new Promise((r) => setTimeout(r, 5));
    }
    await w.flush();
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches[0]?.events).toBe(1);
    await expectExactlyOnce(recorded);
  });

  it('inserts through the generic client (server path) with the token in the query, deduplicated too', async () => {
    const serverPath = clickHouseInserter({ ...ch, mode: 'server' });
    const { w } = writer({
      insert: async (b) => {
        await serverPath(b);
        await serverPath(b);
      },
    });
    const recorded = events(30);
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    await expectExactlyOnce(recorded);
  });
});

describe('EventWriter when ClickHouse fails', () => {
  it('retries with backoff while inserts fail, then ships everything exactly once', async () => {
    let failures = 4;
    const registry = new Registry();
    const { w, batches, real } = writer({
      registry,
      batchMaxEvents: 50,
      insert: async (b) => {
        if (failures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
        await real(b);
      },
    });
    const recorded = events(120);
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    await expectExactlyOnce(recorded);
    expect(w.stats()).toMatchObject({ retries: 4, shipped: 120, queued: 0 });
    expect(batches.reduce((n, b) => n + b.events, 0)).toBe(120);
    const metrics = await registry.getMetricsAsJSON();
    const value = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value;
    expect(value('pitchline_event_insert_retries_total')).toBe(4);
    expect(value('pitchline_events_shipped_total')).toBe(120);
    expect(value('pitchline_events_queued')).toBe(0);
    const histogram = await registry.getSingleMetricAsString('pitchline_event_batch_insert_seconds');
    expect(histogram).toContain(`pitchline_event_batch_insert_seconds_count ${batches.length}`);
  });

  it('does not store a batch twice when the INSERT succeeded but its reply was lost', async () => {
    let lostReplies = 2;
    const { w, real } = writer({
      batchMaxEvents: 30,
      insert: async (b) => {
        await real(b);
        if (lostReplies-- > 0) throw new Error('socket hang up');
      },
    });
    const recorded = events(90);
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    await expectExactlyOnce(recorded);
    expect(w.stats().retries).toBe(2);
  });

  it('keeps unshipped events in the log across a restart and ships them on the next start', async () => {
    const dir = walDir();
    const down = new EventWriter({
      ch,
      walDir: dir,
      retryBaseMs: 5,
      retryMaxMs: 10,
      insert: async () => {
        throw new Error('ClickHouse is down');
      },
    });
    const recorded = events(20);
    await Promise.all(recorded.map((e) => down.record(e)));
    await down.close({ timeoutMs: 50 });
    expect(down.stats().queued).toBe(20);
    expect((await countByEventId(ch)).size).toBe(0);

    const up = new EventWriter({ ch, walDir: dir });
    writers.push(up);
    await up.flush();
    await expectExactlyOnce(recorded);
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  });

  it('cuts a torn last line left by a write that never completed', async () => {
    const dir = walDir();
    const first = new EventWriter({
      ch,
      walDir: dir,
      insert: async () => {
        throw new Error('ClickHouse is down');
      },
      batchMaxDelayMs: 60_000,
    });
    const recorded = events(5);
    for (const e of recorded) await first.record(e);
    await first.close({ timeoutMs: 20 });
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    await appendFile(join(dir, segment as string), '{"event_id":"0195a3c4-9999-7000-8000-00000');
    const up = new EventWriter({ ch, walDir: dir });
    writers.push(up);
    await up.flush();
    await expectExactlyOnce(recorded);
  });
});

describe('EventWriter refusals', () => {
  it('refuses a second writer on the same log directory while the first is open', async () => {
    const { w } = writer();
    await w.start();
    const dir = dirs.at(-1) as string;
    const second = new EventWriter({ ch, walDir: dir });
    await expect(second.start()).rejects.toThrow(WalLockedError);
    await expect(second.record(makeEvent(0))).rejects.toThrow(WalLockedError);
    await w.close();
    const third = new EventWriter({ ch, walDir: dir });
    writers.push(third);
    await expect(third.start()).resolves.toBeUndefined();
  });

  it('rejects a malformed event naming the field, and writes nothing anywhere', async () => {
    const { w } = writer();
    const bad = { ...makeEvent(4), unit_amount: 14.99 };
    const err = await w.record(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidEventError);
    expect((err as Error).message).toMatch(/unit_amount/);
    await expect(w.record({ ...makeEvent(0), merchant_id: 'not-a-uuid' })).rejects.toThrow(/merchant_id/);
    await expect(w.record({ type: 'nope' })).rejects.toThrow(InvalidEventError);
    await w.flush();
    expect(w.stats()).toMatchObject({ queued: 0, shipped: 0, logBytes: 0 });
    expect((await countByEventId(ch)).size).toBe(0);
  });

  it('rejects with EventLogFullError once the log reaches maxLogBytes, and counts it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const registry = new Registry();
    const one = Buffer.byteLength(`${JSON.stringify(makeEvent(0))}\n`);
    const { w, real } = writer({
      registry,
      maxLogBytes: one * 10,
      batchMaxEvents: 2,
      insert: async (b) => {
        await gate;
        await real(b);
      },
    });
    const accepted: PitchlineEvent[] = [];
    let full: unknown;
    for (let i = 0; i < 30 && !full; i++) {
      const e = makeEvent(i * 8);
      try {
        await w.record(e);
        accepted.push(e);
      } catch (err) {
        full = err;
      }
    }
    expect(full).toBeInstanceOf(EventLogFullError);
    expect((full as Error).message).toMatch(/event log is full/);
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    expect(accepted.length).toBeLessThanOrEqual(10);
    expect(w.stats().rejectedFull).toBe(1);
    expect(await registry.getSingleMetricAsString('pitchline_events_rejected_log_full_total')).toMatch(
      / 1$/m,
    );

    release();
    await w.flush();
    await expectExactlyOnce(accepted);
    await w.record(makeEvent(999 * 8));
  });

  it('refuses records after close', async () => {
    const { w } = writer();
    await w.close();
    await expect(w.record(makeEvent(0))).rejects.toThrow(/closed/);
    const segments = await readdir(dirs.at(-1) as string);
    expect(segments).toEqual([]);
  });
});

/** A sealed segment as a previous run (or an older schema) left it: JSONEachRow lines, plus any extra lines. */
async function writeSegment(dir: string, seq: number, rows: PitchlineEvent[], extra: string[] = []) {
  const { token, file } = newSegmentName(seq);
  const lines = rows.map((e) => JSON.stringify(toEventRow(parseEvent(e))));
  const body = `${[...lines, ...extra].join('\n')}\n`;
  await writeFile(join(dir, file), body);
  return { token, file, body };
}

function capturingLogger() {
  const errors: { obj: Record<string, unknown>; msg?: string }[] = [];
  const logger: Logger = {
    info() {},
    warn() {},
    error(obj, msg) {
      errors.push({ obj: obj as Record<string, unknown>, ...(msg !== undefined ? { msg } : {}) });
    },
  };
  return { logger, errors };
}

describe('EventWriter quarantine (segments ClickHouse rejects for good)', () => {
  it('quarantines a segment with a line ClickHouse cannot parse; the segments before and after ship exactly once', async () => {
    const dir = walDir();
    const before = events(10, 0);
    const victims = events(5, 10);
    const after = events(10, 15);
    const live = events(10, 25);
    await writeSegment(dir, 1, before);
    const bad = await writeSegment(dir, 2, victims, ['this is not json']);
    await writeSegment(dir, 3, after);
    const registry = new Registry();
    const { logger, errors } = capturingLogger();
    const attempts = new Map<string, number>();
    const { w, batches, real } = writer({
      walDir: dir,
      registry,
      logger,
      insert: async (b) => {
        attempts.set(b.token, (attempts.get(b.token) ?? 0) + 1);
        await real(b);
      },
    });
    await Promise.all(live.map((e) => w.record(e)));
    await w.flush();

    // Everything but the rejected segment is in ClickHouse once; none of its rows got in (the INSERT is atomic).
    await expectExactlyOnce([...before, ...after, ...live]);
    // Rejected once, not retried: parse errors never succeed on retry.
    expect(attempts.get(bad.token)).toBe(1);
    expect(batches.map((b) => b.token)).not.toContain(bad.token);
    expect(w.stats()).toMatchObject({
      retries: 0,
      queued: 0,
      logBytes: 0,
      quarantined: 1,
      quarantinedSegments: 1,
      quarantinedEvents: 6,
      quarantinedBytes: bad.body.length,
    });

    // Moved, byte for byte, with a sidecar saying why; nothing left in the log itself.
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    const qdir = join(dir, QUARANTINE_DIR);
    expect((await readdir(qdir)).sort()).toEqual([`${bad.token}.json`, bad.file]);
    expect(await readFile(join(qdir, bad.file), 'utf8')).toBe(bad.body);
    const sidecar = JSON.parse(await readFile(join(qdir, `${bad.token}.json`), 'utf8')) as QuarantineSidecar;
    expect(sidecar).toMatchObject({
      token: bad.token,
      code: 27,
      type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      events: 6,
      bytes: bad.body.length,
    });
    expect(sidecar.error).toMatch(/Cannot parse input/);
    expect(Date.parse(sidecar.time)).toBeGreaterThan(Date.now() - 60_000);

    const logged = errors.find((e) => /quarantined/.test(e.msg ?? ''));
    expect(logged?.obj).toMatchObject({ segment: bad.token, code: 27, events: 6 });

    const metrics = await registry.getMetricsAsJSON();
    const value = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value;
    expect(value('pitchline_event_segments_quarantined_total')).toBe(1);
    expect(value('pitchline_event_quarantine_events')).toBe(6);
    expect(value('pitchline_event_quarantine_bytes')).toBe(bad.body.length);
    expect(value('pitchline_event_insert_retries_total')).toBe(0);
    expect(value('pitchline_events_shipped_total')).toBe(30);
  });

  it('still retries a failure the server can fix (a real UNKNOWN_DATABASE from chDB) and quarantines nothing', async () => {
    let failures = 3;
    const missing = clickHouseInserter({ ...ch, database: 'pitchline_not_migrated_yet' });
    const { w, real } = writer({
      insert: async (b) => {
        if (failures-- > 0) await missing(b);
        else await real(b);
      },
    });
    const recorded = events(20);
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    await expectExactlyOnce(recorded);
    expect(w.stats()).toMatchObject({ retries: 3, quarantined: 0, quarantinedSegments: 0 });
    expect(await readdir(dirs.at(-1) as string)).not.toContain(QUARANTINE_DIR);
  });

  it('restarts with a quarantine directory present (and junk in it), counts it, and never ships it', async () => {
    const dir = walDir();
    const bad = await writeSegment(dir, 1, events(3), ['{"event_id": "not a uuid"}']);
    const first = writer({ walDir: dir });
    await first.w.flush();
    expect(first.w.stats().quarantinedSegments).toBe(1);
    await first.w.close();

    const qdir = join(dir, QUARANTINE_DIR);
    // An operator's notes, a sidecar whose segment is gone, a segment whose sidecar is gone, a subdirectory.
    await writeFile(join(qdir, 'NOTES.txt'), 'looked at this on Monday\n');
    await writeFile(join(qdir, `${newSegmentName(7).token}.json`), '{"bytes": 5, "events": 1}');
    const orphan = newSegmentName(8);
    const orphanBody = `${JSON.stringify(toEventRow(parseEvent(makeEvent(50))))}\ngarbage\n`;
    await writeFile(join(qdir, orphan.file), orphanBody);
    await mkdir(join(qdir, 'old'));

    const registry = new Registry();
    const { w, batches } = writer({ walDir: dir, registry });
    await w.start();
    expect(w.stats()).toMatchObject({
      quarantined: 0,
      quarantinedSegments: 2,
      quarantinedEvents: 4 + 2,
      quarantinedBytes: bad.body.length + Buffer.byteLength(orphanBody),
      logBytes: 0,
      queued: 0,
    });
    expect(await registry.getSingleMetricAsString('pitchline_event_quarantine_events')).toMatch(/ 6$/m);
    const recorded = events(5, 100);
    await Promise.all(recorded.map((e) => w.record(e)));
    await w.flush();
    await expectExactlyOnce(recorded);
    expect(batches.map((b) => b.token)).not.toContain(bad.token);
    expect((await readdir(qdir)).sort()).toContain(bad.file);
  });

  it('quarantined bytes do not count against maxLogBytes', async () => {
    const dir = walDir();
    const one = Buffer.byteLength(`${JSON.stringify(toEventRow(parseEvent(makeEvent(0))))}\n`);
    // A rejected segment bigger than the whole bound: while queued it would leave no room at all.
    await writeSegment(dir, 1, events(20), ['not json']);
    const { w } = writer({ walDir: dir, maxLogBytes: one * 10, batchMaxEvents: 2 });
    await w.flush();
    expect(w.stats()).toMatchObject({ logBytes: 0, quarantinedEvents: 21 });
    const recorded = events(8, 200);
    for (const e of recorded) await w.record(e);
    await w.flush();
    await expectExactlyOnce(recorded);
  });

  it('re-ships quarantined segments once fixed, under their own token, so a second re-ship stores nothing twice', async () => {
    const dir = walDir();
    const victims = events(6);
    const bad = await writeSegment(dir, 1, victims, ['this is not json']);
    const { w, batches } = writer({ walDir: dir });
    await w.flush();
    expect(w.stats().quarantinedSegments).toBe(1);
    expect((await countByEventId(ch)).size).toBe(0);

    // Unfixed, it is rejected and quarantined again: no loop, nothing shipped.
    expect(await w.reshipQuarantined()).toEqual({ segments: 1, events: 7 });
    await w.flush();
    expect(w.stats()).toMatchObject({ quarantined: 2, quarantinedSegments: 1, queued: 0, logBytes: 0 });

    // The operator cuts the bad line out, then re-ships.
    const qfile = join(dir, QUARANTINE_DIR, bad.file);
    // Its editor also dropped the final newline: the last row must still count as a row, not a torn write.
    const fixed = (await readFile(qfile, 'utf8')).replace('this is not json\n', '').trimEnd();
    await writeFile(qfile, fixed);
    // Keep a copy: as if a crash lost the move back and the operator ran it again.
    const copy = join(dirs.at(-1) as string, 'copy.jsonl');
    await copyFile(qfile, copy);
    expect(await w.reshipQuarantined()).toEqual({ segments: 1, events: 6 });
    await w.flush();
    await expectExactlyOnce(victims);
    expect(batches.at(-1)?.token).toBe(bad.token);
    expect(w.stats()).toMatchObject({ quarantinedSegments: 0, quarantinedEvents: 0, quarantinedBytes: 0 });

    await copyFile(copy, qfile);
    expect(await w.reshipQuarantined()).toEqual({ segments: 1, events: 6 });
    await w.flush();
    // Same token: ClickHouse drops it as a duplicate.
    await expectExactlyOnce(victims);
    expect(await readdir(join(dir, QUARANTINE_DIR))).toEqual([]);
    expect(await w.reshipQuarantined()).toEqual({ segments: 0, events: 0 });
  });
});
