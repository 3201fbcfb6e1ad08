/**
 * Ingest benchmark: events/s through EventWriter.record() until visible in ClickHouse (chDB), against a
 * baseline of plain batched INSERTs of the same rows into the same engine, in the same process and run.
 *
 *   npm run bench:ingest [-- --events 200000 --concurrency 64]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PitchlineEvent } from '@pitchline/core';
import { type ClickHouseHandle, createClickHouse } from '../src/clickhouse';
import { toEventRow } from '../src/event-row';
import { EventWriter } from '../src/event-writer';
import { migrateClickHouse } from '../src/migrate';
import { makeEvent } from '../test/fixtures';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '64' },
    batch: { type: 'string', default: '20000' },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
const CONCURRENCY = Number(args.concurrency);
const BATCH = Number(args.batch);
const FSYNC = !args['no-fsync'];

const TARGET_RATE = 50_000;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 5;

const root = mkdtempSync(join(tmpdir(), 'pitchline-bench-'));

async function count(ch: ClickHouseHandle): Promise<number> {
  const rows = await (
    await ch.client.query({ query: `SELECT count() AS n FROM ${ch.database}.events`, format: 'JSONEachRow' })
  ).json<{ n: string }>();
  return Number(rows[0]?.n ?? 0);
}

async function untilVisible(ch: ClickHouseHandle, n: number): Promise<void> {
  while ((await count(ch)) < n) await new Promise((r) => setTimeout(r, 25));
}

function generate(n: number, offset: number): PitchlineEvent[] {
  return Array.from({ length: n }, (_, i) => makeEvent(offset + i));
}

async function openDb(name: string): Promise<ClickHouseHandle> {
  const ch = createClickHouse({ dataDir: root, database: name });
  await migrateClickHouse(ch);
  return ch;
}

/** Plain batched INSERTs, the way one would write rows without a log: encode a batch, insert it. */
async function baseline(ch: ClickHouseHandle, events: PitchlineEvent[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    await ch.client.insert({
      table: `${ch.database}.events`,
      values: events.slice(i, i + BATCH).map(toEventRow),
      format: 'JSONEachRow',
    });
  }
  await untilVisible(ch, events.length);
  return performance.now() - started;
}

async function throughWriter(
  ch: ClickHouseHandle,
  events: PitchlineEvent[],
  walDir: string,
): Promise<{ ms: number; latencies: Float64Array; batches: number }> {
  const writer = new EventWriter({
    ch,
    walDir,
    fsync: FSYNC,
    batchMaxEvents: BATCH,
    batchMaxBytes: 64 * 1024 * 1024,
  });
  await writer.start();
  const latencies = new Float64Array(events.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const t = performance.now();
        await writer.record(events[i]);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  await untilVisible(ch, events.length);
  const ms = performance.now() - started;
  const { batches } = writer.stats();
  await writer.close();
  return { ms, latencies, batches };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');

try {
  const writerDb = await openDb('bench_writer');
  const baseDb = await openDb('bench_baseline');
  // Warm-up: JIT, zod, chDB caches; not measured.
  await baseline(baseDb, generate(5_000, 10_000_000));
  await throughWriter(writerDb, generate(5_000, 20_000_000), join(root, 'wal-warmup'));

  const events = generate(N, 0);
  const bytes = events.reduce((n, e) => n + JSON.stringify(toEventRow(e)).length + 1, 0);
  const w = await throughWriter(writerDb, events, join(root, 'wal'));
  const b = await baseline(baseDb, events);

  const writerRate = (N / w.ms) * 1000;
  const baseRate = (N / b) * 1000;
  const ratio = writerRate / baseRate;
  const sorted = w.latencies.slice().sort();
  const p99 = percentile(sorted, 99);
  const rssMb = process.resourceUsage().maxRSS / 1024;

  console.log(
    `ingest: ${fmt(N)} events (${(bytes / N).toFixed(0)} B/row JSON), ${CONCURRENCY} concurrent writers, ` +
      `fsync ${FSYNC ? 'on' : 'OFF'}, batch ≤ ${fmt(BATCH)} events, chDB`,
  );
  console.table({
    'EventWriter.record → visible': { 'events/s': fmt(writerRate), 'wall ms': fmt(w.ms), inserts: w.batches },
    'baseline batched INSERT': {
      'events/s': fmt(baseRate),
      'wall ms': fmt(b),
      inserts: Math.ceil(N / BATCH),
    },
  });
  console.log(
    `writer throughput  ${fmt(writerRate)} events/s   target ≥ ${fmt(TARGET_RATE)}   ${check(writerRate >= TARGET_RATE)}`,
  );
  console.log(
    `ratio to baseline  ${ratio.toFixed(2)}              target ≥ ${TARGET_RATIO}      ${check(ratio >= TARGET_RATIO)}`,
  );
  console.log(
    `record() latency   p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, ` +
      `p99 ${p99.toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms   target p99 ≤ ${TARGET_P99_MS} ms   ${check(p99 <= TARGET_P99_MS)}`,
  );
  console.log(`peak RSS           ${rssMb.toFixed(0)} MB`);
  await writerDb.close();
  await baseDb.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
