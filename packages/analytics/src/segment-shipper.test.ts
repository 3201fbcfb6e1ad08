import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@pitchline/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { InsertBatch, SegmentBatch } from './clickhouse-inserter';
import { SegmentShipper, type SegmentShipperOptions } from './segment-shipper';
import { newSegmentName, QUARANTINE_DIR, type SegmentFile } from './wal';
import { createWriterMetrics, type EventWriterStats } from './writer-metrics';

/*
 * The shipper alone, with a fake INSERT: the order, retry and quarantine rules the writer's exactly-once
 * guarantee rests on (event-writer.int.test.ts checks the whole against chDB).
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Sealed segments on disk, as the appender hands them over. */
async function segments(count: number, rows = 3): Promise<{ dir: string; list: SegmentFile[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pitchline-shipper-'));
  dirs.push(dir);
  const list: SegmentFile[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const { token, file } = newSegmentName(seq);
    const body = Array.from({ length: rows }, (_, i) => `{"seq":${seq},"i":${i}}\n`).join('');
    await writeFile(join(dir, file), body);
    list.push({ seq, token, path: join(dir, file), bytes: Buffer.byteLength(body), events: rows });
  }
  return { dir, list };
}

function shipper(dir: string, insert: InsertBatch, options: Partial<SegmentShipperOptions> = {}) {
  return new SegmentShipper({
    dir,
    fsync: false,
    insert,
    retryBaseMs: 1,
    retryMaxMs: 5,
    logger: silentLogger,
    metrics: createWriterMetrics(undefined, () => ({}) as EventWriterStats),
    onIdle: () => {},
    onChange: () => {},
    ...options,
  });
}

async function until(done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 5_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What chDB's raw insert throws for a line it cannot parse (see errors.test.ts). */
const parseError = () =>
  Object.assign(
    new Error(
      "Code: 27. DB::Exception: Cannot parse input: expected '{' before: 'x': (at row 2)\n: While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)",
    ),
    { code: 'CHDB_INSERT' },
  );

describe('SegmentShipper', () => {
  it('ships oldest first, one INSERT at a time, and deletes a segment only once its INSERT resolved', async () => {
    const { dir, list } = await segments(4);
    const seen: { token: string; onDisk: boolean }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const s = shipper(dir, async (b) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      seen.push({ token: b.token, onDisk: existsSync(join(dir, `${b.token}.jsonl`)) });
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    });
    s.start(list.slice(0, 2), []);
    s.accept(list[2] as SegmentFile);
    s.accept(list[3] as SegmentFile);
    // Done once the last segment's file is deleted and its bytes are freed: a batch is counted as soon as
    // its INSERT resolves, a moment before that (on a loaded machine this read fell in between).
    await until(() => s.counts().batches === 4 && s.counts().lineBytes === 0);
    expect(seen).toEqual(list.map((l) => ({ token: l.token, onDisk: true })));
    expect(maxInFlight).toBe(1);
    expect(s.counts()).toMatchObject({ shipped: 12, queuedEvents: 0, lineBytes: 0, lineSegments: 0 });
    expect(await readdir(dir)).toEqual([]);
    await s.stop();
  });

  it('retries a failed INSERT with exactly the same token and bytes, however often it fails', async () => {
    const { dir, list } = await segments(1);
    const attempts: SegmentBatch[] = [];
    const s = shipper(dir, async (b) => {
      attempts.push(b);
      if (attempts.length <= 3) throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
    });
    s.start(list, []);
    await until(() => s.counts().batches === 1);
    expect(attempts).toHaveLength(4);
    for (const a of attempts) {
      expect(a.token).toBe(attempts[0]?.token);
      expect(a.body.equals(attempts[0]?.body as Buffer)).toBe(true);
    }
    expect(s.counts()).toMatchObject({ retries: 3, shipped: 3, quarantined: 0 });
    await s.stop();
  });

  it('sends only the acknowledged length of a segment, never bytes a failed write left behind it', async () => {
    const { dir, list } = await segments(1);
    const segment = list[0] as SegmentFile;
    await writeFile(segment.path, '{"torn":', { flag: 'a' });
    const bodies: string[] = [];
    const s = shipper(dir, async (b) => {
      bodies.push(b.body.toString('utf8'));
    });
    s.start(list, []);
    await until(() => s.counts().batches === 1);
    expect(bodies[0]).not.toContain('torn');
    expect(Buffer.byteLength(bodies[0] as string)).toBe(segment.bytes);
    await s.stop();
  });

  it('quarantines a segment ClickHouse rejects for good, without retrying it, and ships the next', async () => {
    const { dir, list } = await segments(3);
    const bad = list[1] as SegmentFile;
    const tokens: string[] = [];
    let fixed = false;
    const s = shipper(dir, async (b) => {
      tokens.push(b.token);
      if (b.token === bad.token && !fixed) throw parseError();
    });
    s.start(list, []);
    await until(() => s.counts().batches === 2 && s.counts().quarantined === 1 && s.counts().lineBytes === 0);
    expect(tokens).toEqual(list.map((l) => l.token));
    expect(s.counts()).toMatchObject({
      retries: 0,
      quarantinedSegments: 1,
      quarantinedEvents: 3,
      quarantinedBytes: bad.bytes,
      lineBytes: 0,
    });
    expect((await readdir(join(dir, QUARANTINE_DIR))).sort()).toEqual([
      `${bad.token}.json`,
      `${bad.token}.jsonl`,
    ]);

    // Fixed (a schema, say): back in line under its own token.
    fixed = true;
    expect(await s.reshipQuarantined()).toEqual({ segments: 1, events: 3 });
    await until(() => s.counts().batches === 3);
    expect(tokens.at(-1)).toBe(bad.token);
    expect(s.counts()).toMatchObject({ quarantinedSegments: 0, quarantinedEvents: 0, quarantinedBytes: 0 });
    await s.stop();
  });

  it('stops while waiting out a retry, leaving the segment on disk for the next start', async () => {
    const { dir, list } = await segments(1);
    const s = shipper(
      dir,
      async () => {
        throw new Error('ClickHouse is down');
      },
      { retryBaseMs: 60_000, retryMaxMs: 60_000 },
    );
    s.start(list, []);
    await until(() => s.counts().retries === 1);
    const started = Date.now();
    await s.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(s.counts()).toMatchObject({ queuedEvents: 3, lineSegments: 1 });
    expect(existsSync((list[0] as SegmentFile).path)).toBe(true);
  });

  it('asks for the held-open segment whenever its line runs dry', async () => {
    const { dir, list } = await segments(1);
    let idle = 0;
    const s = shipper(dir, async () => {}, { onIdle: () => idle++ });
    s.start(list, []);
    await until(() => s.counts().batches === 1 && idle >= 1);
    expect(s.busy).toBe(false);
    await s.stop();
  });
});
