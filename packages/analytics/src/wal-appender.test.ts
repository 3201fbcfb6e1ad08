import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@pitchline/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { SegmentFile } from './wal';
import { WalAppender, type WalAppenderOptions } from './wal-appender';

/*
 * The appender alone, on a real directory, without a shipper or ClickHouse: what it promises the writer
 * (durable before resolving, sealed segments handed over in order with exactly their acknowledged rows, and
 * the byte and event counts moving with them).
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function appender(options: Partial<WalAppenderOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pitchline-appender-'));
  dirs.push(dir);
  const sealed: SegmentFile[] = [];
  const a = new WalAppender({
    dir,
    batchMaxBytes: 1024 * 1024,
    batchMaxEvents: 1000,
    batchMaxDelayMs: 60_000,
    batchMinEvents: 1000,
    fsync: false,
    logger: silentLogger,
    recovered: async () => {},
    shipperBusy: () => false,
    onSealed: (segment) => sealed.push(segment),
    onChange: () => {},
    ...options,
  });
  return { a, sealed, dir };
}

const line = (i: number) => `{"i":${i}}\n`;

async function appendAll(a: WalAppender, from: number, to: number): Promise<void> {
  const all: Promise<void>[] = [];
  for (let i = from; i < to; i++) all.push(a.append(line(i), Buffer.byteLength(line(i))));
  await Promise.all(all);
}

async function until(done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 5_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WalAppender', () => {
  it('hands over a sealed segment holding exactly the acknowledged rows, in order, and stops counting them', async () => {
    const { a, sealed } = appender();
    await appendAll(a, 0, 50);
    const bytes = Array.from({ length: 50 }, (_, i) => Buffer.byteLength(line(i))).reduce((s, n) => s + n);
    expect(a.heldBytes).toBe(bytes);
    expect(a.durableEvents).toBe(50);
    expect(a.openSegmentHasEvents).toBe(true);

    const lastSeq = a.sealOpenSegment();
    await until(() => sealed.length === 1);
    expect(sealed[0]).toMatchObject({ seq: lastSeq, events: 50, bytes });
    const body = await readFile((sealed[0] as SegmentFile).path, 'utf8');
    expect(body).toBe(Array.from({ length: 50 }, (_, i) => line(i)).join(''));
    // From now on the shipper accounts for them.
    expect(a.heldBytes).toBe(0);
    expect(a.durableEvents).toBe(0);
    expect(a.hasSettled(a.appended)).toBe(true);
  });

  it('cuts segments at batchMaxEvents and numbers them after the log a previous run left', async () => {
    const { a, sealed } = appender({ batchMaxEvents: 10 });
    a.resumeAfter(41);
    await appendAll(a, 0, 25);
    a.sealOpenSegment();
    await until(() => sealed.length === 3);
    expect(sealed.map((s) => [s.seq, s.events])).toEqual([
      [42, 10],
      [43, 10],
      [44, 5],
    ]);
  });

  it('keeps a time-bound segment open while the shipper is busy, and seals it once the shipper runs dry', async () => {
    let busy = true;
    const { a, sealed } = appender({ batchMaxDelayMs: 10, batchMinEvents: 1, shipperBusy: () => busy });
    await appendAll(a, 0, 3);
    await new Promise((r) => setTimeout(r, 60));
    expect(sealed).toEqual([]);
    busy = false;
    a.sealIfDue();
    await until(() => sealed.length === 1);
    expect(sealed[0]?.events).toBe(3);
  });

  it('seals a quiet segment at its time bound when the shipper is idle', async () => {
    const { a, sealed } = appender({ batchMaxDelayMs: 10 });
    await appendAll(a, 0, 2);
    await until(() => sealed.length === 1);
    expect(sealed[0]?.events).toBe(2);
  });

  it('rejects the records waiting for a recovery that failed, and gives their bytes back', async () => {
    const locked = new Error('the event log is in use');
    const { a, sealed } = appender({ recovered: () => Promise.reject(locked) });
    await expect(a.append(line(0), 8)).rejects.toBe(locked);
    expect(a.heldBytes).toBe(0);
    expect(a.hasSettled(1)).toBe(true);
    expect(sealed).toEqual([]);
  });
});
