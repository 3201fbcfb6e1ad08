/**
 * Ingest benchmark: events/s through EventWriter.record() until visible in ClickHouse (chDB), against a
 * baseline of plain batched INSERTs of the same rows into the same engine, in the same process and run.
 *
 *   npm run bench:ingest [-- --events 100000 --rounds 3 --concurrency 64 --batch 20000 --no-fsync]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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
    events: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '20000' },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
const CONCURRENCY = Number(args.concurrency);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);
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
  ship = true,
): Promise<{ ms: number; latencies: Float64Array; batches: number }> {
  const writer = new EventWriter({
    ...(ship ? {} : { insert: async () => {} }),
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
  if (ship) await untilVisible(ch, events.length);
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

try {
  const writerDb = await openDb('bench_writer');
  const baseDb = await openDb('bench_baseline');
  const noopDb = await openDb('bench_noop');
  // Warm-up: JIT, zod, chDB caches; not measured.
  await baseline(baseDb, generate(5_000, 10_000_000));
  await throughWriter(writerDb, generate(5_000, 20_000_000), join(root, 'wal-warmup'));

  // Rounds alternate writer and baseline so that load from other processes hits both alike.
  const writerRates: number[] = [];
  const baseRates: number[] = [];
  const noopRates: number[] = [];
  const latencies: Float64Array[] = [];
  let inserts = 0;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const events = generate(N, round * N);
    bytes += events.reduce((n, e) => n + JSON.stringify(toEventRow(e)).length + 1, 0);
    const w = await throughWriter(writerDb, events, join(root, `wal-${round}`));
    writerRates.push((N / w.ms) * 1000);
    latencies.push(w.latencies);
    inserts += w.batches;
    baseRates.push((N / (await baseline(baseDb, events))) * 1000);
    // Diagnostic: validation + log + fsync alone, ClickHouse insert disabled (not a target).
    const noop = await throughWriter(
      noopDb,
      generate(N, 50_000_000 + round * N),
      join(root, `wal-noop-${round}`),
      false,
    );
    noopRates.push((N / noop.ms) * 1000);
  }

  const writerRate = median(writerRates);
  const baseRate = median(baseRates);
  const ratio = median(writerRates.map((w, i) => w / (baseRates[i] as number)));
  const all = new Float64Array(latencies.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of latencies) {
    all.set(l, at);
    at += l.length;
  }
  const sorted = all.sort();
  const p99 = percentile(sorted, 99);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const rates = (xs: number[]) => xs.map(fmt).join(' / ');

  console.log(
    `ingest: ${ROUNDS} rounds × ${fmt(N)} events (${(bytes / N / ROUNDS).toFixed(0)} B/row JSON: turns with SSML, ` +
      `exposures, cart adds), ${CONCURRENCY} concurrent writers, fsync ${FSYNC ? 'on' : 'OFF'}, ` +
      `batch ≤ ${fmt(BATCH)} events, chDB; ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)}`,
  );
  console.table({
    'EventWriter.record → visible in CH': {
      'median events/s': fmt(writerRate),
      rounds: rates(writerRates),
      inserts,
    },
    'baseline: batched INSERT, same rows': {
      'median events/s': fmt(baseRate),
      rounds: rates(baseRates),
      inserts: ROUNDS * Math.ceil(N / BATCH),
    },
    'diagnostic: record() with insert disabled': {
      'median events/s': fmt(median(noopRates)),
      rounds: rates(noopRates),
      inserts: 0,
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
  await noopDb.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
