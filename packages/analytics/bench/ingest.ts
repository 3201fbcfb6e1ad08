/**
 * Ingest benchmark: events/s through EventWriter.record() until visible in ClickHouse (chDB), against a
 * baseline of plain batched INSERTs of the same rows into the same engine, in the same process and run.
 *
 * The baseline is what a plain writer on chDB would do with the fastest path chDB offers: JSON.stringify
 * each row, join a batch into one Buffer, rawInsert it (the path the EventWriter itself ships with).
 * The older baseline through the generic client.insert (rows encoded and decoded to a string on the
 * event loop) is printed too, for comparison with earlier runs; the ratio target uses the raw one.
 * Other processes share this machine, so the run also prints the load average, CPU µs per event of each
 * phase (process CPU, chDB threads and background merges included; robust where wall time is not),
 * the WAL disk's own fdatasync latency (the floor of an fsync-on record()), and event-loop/GC stalls.
 *
 *   npm run bench:ingest [-- --events 100000 --rounds 3 --concurrency 64 --batch 20000 --delay 250 --no-fsync]
 */
import { promises as fsp, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { PitchlineEvent } from '@pitchline/core';
import { type ClickHouseHandle, chdbConnectionOf, createClickHouse } from '../src/clickhouse';
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
    /** The writer's batchMaxDelayMs; unset = the writer's default. */
    delay: { type: 'string' },
  },
});
const N = Number(args.events);
const CONCURRENCY = Number(args.concurrency);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);
const FSYNC = !args['no-fsync'];
const DELAY = args.delay === undefined ? undefined : Number(args.delay);

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

/** Wall ms and process CPU µs of a phase. */
interface Timed {
  ms: number;
  cpuUs: number;
}

async function timed(run: () => Promise<void>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuUs: used.user + used.system };
}

/** Plain batched INSERTs, the way one would write rows without a log: encode a batch, rawInsert it. */
function baseline(ch: ClickHouseHandle, events: PitchlineEvent[]): Promise<Timed> {
  const chdb = chdbConnectionOf(ch);
  if (!chdb) throw new Error('the ingest benchmark runs on chDB');
  return timed(async () => {
    for (let i = 0; i < events.length; i += BATCH) {
      let body = '';
      for (const e of events.slice(i, i + BATCH)) body += `${JSON.stringify(toEventRow(e))}\n`;
      await chdb.chdb.rawInsert({
        table: `${ch.database}.events`,
        values: Buffer.from(body),
        format: 'JSONEachRow',
      });
    }
    await untilVisible(ch, events.length);
  });
}

/** The previous baseline: the generic client's insert of row objects (for comparison only). */
function baselineClient(ch: ClickHouseHandle, events: PitchlineEvent[]): Promise<Timed> {
  return timed(async () => {
    for (let i = 0; i < events.length; i += BATCH) {
      await ch.client.insert({
        table: `${ch.database}.events`,
        values: events.slice(i, i + BATCH).map(toEventRow),
        format: 'JSONEachRow',
      });
    }
    await untilVisible(ch, events.length);
  });
}

/** The WAL disk's own latency: sequential 64 KiB write + fdatasync, the floor of an acknowledged record. */
async function fdatasyncLatency(dir: string): Promise<{ p50: number; p99: number }> {
  mkdirSync(dir, { recursive: true });
  const file = await fsp.open(join(dir, 'probe'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    await file.write(chunk, 0, chunk.length, i * chunk.length);
    const t = performance.now();
    await file.datasync();
    times.push(performance.now() - t);
  }
  await file.close();
  times.sort((a, b) => a - b);
  return { p50: times[150] ?? Number.NaN, p99: times[297] ?? Number.NaN };
}

/** Event-loop delay and GC pauses while the writer runs: where record() tail latency comes from. */
const gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });
const loopDelays: { p99: number; max: number }[] = [];

async function throughWriter(
  ch: ClickHouseHandle,
  events: PitchlineEvent[],
  walDir: string,
  ship = true,
): Promise<Timed & { latencies: Float64Array; batches: number }> {
  const writer = new EventWriter({
    ...(ship ? {} : { insert: async () => {} }),
    ch,
    walDir,
    fsync: FSYNC,
    batchMaxEvents: BATCH,
    batchMaxBytes: 64 * 1024 * 1024,
    ...(DELAY === undefined ? {} : { batchMaxDelayMs: DELAY }),
  });
  await writer.start();
  const latencies = new Float64Array(events.length);
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  // A fresh histogram per phase: re-enabling one would count the pause between phases as a delay.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const t = performance.now();
        await writer.record(events[i]);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  loopDelay.disable();
  if (ship) loopDelays.push({ p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
  if (ship) await untilVisible(ch, events.length);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const { batches } = writer.stats();
  await writer.close();
  return { ms, cpuUs: used.user + used.system, latencies, batches };
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
  const loadBefore = loadavg();
  const disk = await fdatasyncLatency(join(root, 'probe'));
  const writerDb = await openDb('bench_writer');
  const baseDb = await openDb('bench_baseline');
  const clientDb = await openDb('bench_client');
  const noopDb = await openDb('bench_noop');
  // Warm-up: JIT, chDB caches; not measured.
  await baseline(baseDb, generate(5_000, 10_000_000));
  await baselineClient(clientDb, generate(5_000, 15_000_000));
  await throughWriter(writerDb, generate(5_000, 20_000_000), join(root, 'wal-warmup'));
  gcPauses.length = 0;
  loopDelays.length = 0;

  // Rounds alternate writer and baseline so that load from other processes hits both alike.
  const writerRates: number[] = [];
  const baseRates: number[] = [];
  const noopRates: number[] = [];
  const clientRates: number[] = [];
  const cpu = { writer: 0, base: 0, client: 0, noop: 0 };
  const latencies: Float64Array[] = [];
  let inserts = 0;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const events = generate(N, round * N);
    bytes += events.reduce((n, e) => n + JSON.stringify(toEventRow(e)).length + 1, 0);
    const w = await throughWriter(writerDb, events, join(root, `wal-${round}`));
    writerRates.push((N / w.ms) * 1000);
    cpu.writer += w.cpuUs;
    latencies.push(w.latencies);
    inserts += w.batches;
    const b = await baseline(baseDb, events);
    baseRates.push((N / b.ms) * 1000);
    cpu.base += b.cpuUs;
    const c = await baselineClient(clientDb, events);
    clientRates.push((N / c.ms) * 1000);
    cpu.client += c.cpuUs;
    // Diagnostic: validation + log + fsync alone, ClickHouse insert disabled (not a target).
    const noop = await throughWriter(
      noopDb,
      generate(N, 50_000_000 + round * N),
      join(root, `wal-noop-${round}`),
      false,
    );
    noopRates.push((N / noop.ms) * 1000);
    cpu.noop += noop.cpuUs;
  }
  const loadAfter = loadavg();

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
  const perEvent = (us: number) => (us / N / ROUNDS).toFixed(1);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');

  console.log(
    `ingest: ${ROUNDS} rounds × ${fmt(N)} events (${(bytes / N / ROUNDS).toFixed(0)} B/row JSON: turns with SSML, ` +
      `exposures, cart adds), ${CONCURRENCY} concurrent writers, fsync ${FSYNC ? 'on' : 'OFF'}, ` +
      `batch ≤ ${fmt(BATCH)} events, time bound ${DELAY === undefined ? 'default' : `${DELAY} ms`}, chDB; ${cpus().length} CPUs, load average (1/5/15 min) ${load(loadBefore)} ` +
      `before, ${load(loadAfter)} after`,
  );
  console.table({
    'EventWriter.record → visible in CH': {
      'median events/s': fmt(writerRate),
      rounds: rates(writerRates),
      'CPU µs/event': perEvent(cpu.writer),
      inserts,
    },
    'baseline: batched rawInsert, same rows': {
      'median events/s': fmt(baseRate),
      rounds: rates(baseRates),
      'CPU µs/event': perEvent(cpu.base),
      inserts: ROUNDS * Math.ceil(N / BATCH),
    },
    'comparison: batched client.insert': {
      'median events/s': fmt(median(clientRates)),
      rounds: rates(clientRates),
      'CPU µs/event': perEvent(cpu.client),
      inserts: ROUNDS * Math.ceil(N / BATCH),
    },
    'diagnostic: record() with insert disabled': {
      'median events/s': fmt(median(noopRates)),
      rounds: rates(noopRates),
      'CPU µs/event': perEvent(cpu.noop),
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
  gcPauses.sort((a, b) => a - b);
  console.log(
    `stalls             event loop delay p99 ${Math.max(...loopDelays.map((d) => d.p99)).toFixed(1)} ms, max ` +
      `${Math.max(...loopDelays.map((d) => d.max)).toFixed(1)} ms (worst writer round); GC pauses ${gcPauses.length}, longest ` +
      `${(gcPauses.at(-1) ?? 0).toFixed(1)} ms (whole run)`,
  );
  console.log(
    `WAL disk           fdatasync of 64 KiB p50 ${disk.p50.toFixed(2)} ms, p99 ${disk.p99.toFixed(2)} ms: every ` +
      `acknowledged record waits for at least one; ${CONCURRENCY} writers / p50 = at most ` +
      `${fmt((CONCURRENCY / disk.p50) * 1000)} events/s if each waited exactly one`,
  );
  console.log(`peak RSS           ${rssMb.toFixed(0)} MB`);
  await writerDb.close();
  await baseDb.close();
  await clientDb.close();
  await noopDb.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
