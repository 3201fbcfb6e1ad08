/**
 * `npx tsx bench/seed-demo.ts [shoppers] [--postgres] [--no-fsync] [--key K]`: times the first-start demo
 * replay against throwaway stores (PGlite, or PostgreSQL at 127.0.0.1 with --postgres; chDB), then prints
 * what the shoppers did, what the stores hold and the demo experiment's verdict. --no-fsync turns the
 * event log’s fsync off; --key sets the user-id hash key (the assignment of shoppers to variants).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EventWriter, experimentResults } from '@pitchline/analytics';
import { countEventsByType, openTestClickHouse } from '@pitchline/analytics/testing';
import { DEMO_MERCHANT_ID, seedDemo } from '@pitchline/db';
import { openTestDatabase } from '@pitchline/db/testing';
import { DEMO_EXPERIMENT } from '../src';
import { seedDemoHistory } from '../src/demo';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    postgres: { type: 'boolean', default: false },
    'no-fsync': { type: 'boolean', default: false },
    key: { type: 'string', default: 'k'.repeat(32) },
  },
});
const shoppers = Number(positionals[0] ?? 4200);
const database = await openTestDatabase(flags.postgres ? 'postgres' : 'pglite', {
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/test',
});
const ch = await openTestClickHouse();
const walDir = await mkdtemp(path.join(tmpdir(), 'sim-bench-wal-'));
const events = new EventWriter({ ch, walDir, fsync: !flags['no-fsync'] });
await events.start();
try {
  await seedDemo(database.db);
  const now = Date.now();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await seedDemoHistory(
    {
      db: database.db,
      recordEvent: (e) => events.record(e),
      userIdHashKey: flags.key,
    },
    { config: { shoppers }, now },
  );
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `replay cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms for ${result.stats.requests} requests`,
  );
  await events.flush();
  const t2 = performance.now();
  const { stats } = result;
  console.log(
    JSON.stringify(
      { shoppers, visits: result.visits, replayMs: Math.round(t1 - t0), flushMs: Math.round(t2 - t1), stats },
      null,
      1,
    ),
  );
  const rows = await countEventsByType(ch);
  console.log(rows.sort((a, b) => b.n - a.n));
  // What the dashboard's results page would say about the demo experiment today.
  const results = await experimentResults(ch, {
    merchantId: DEMO_MERCHANT_ID,
    now,
    experiment: {
      id: result.experiment?.id as string,
      key: DEMO_EXPERIMENT.key,
      variants: DEMO_EXPERIMENT.variants.map((v) => ({
        key: v.key,
        weight: v.weight,
        isControl: v.isControl,
      })),
      primaryMetric: 'conversion',
      secondaryMetrics: ['add_to_cart', 'revenue_per_user', 'stop_after_pitch'],
      guardrailMetrics: ['fallback_rate'],
      conversionWindowHours: 24,
      startedAt: result.experiment?.startedAt as number,
    },
  });
  console.log(results.verdict, results.srm.status);
  for (const v of results.variants) {
    const conversion = v.metrics.find((m) => m.metric === 'conversion');
    console.log(
      `${v.key}: ${v.exposedUsers} users, conversion ${((conversion?.value ?? 0) * 100).toFixed(1)}%`,
    );
  }
} finally {
  await events.close();
  await ch.dispose();
  await database.close();
  await rm(walDir, { recursive: true, force: true });
}
