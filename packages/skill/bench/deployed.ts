/**
 * The all-in-one server as deployed, run two ways side by side in the same run: from the sources through
 * tsx (how `npm start` runs it) and as the production bundle on plain node (`npm run build` → dist/).
 * Per way it measures:
 *  - start: spawn → /readyz 200, at a first start (empty DATA_DIR: PGlite initdb, migrations) in
 *    production mode, and at a restart on that DATA_DIR; RSS once ready (target ≤ 600 MB);
 *  - load: this benchmark's signed POST /alexa mix (bench/pool.ts) for --duration seconds against the
 *    process, RSS sampled throughout (peak and at the end; target ≤ 600 MB).
 * The load runs in development mode with the development CA (the only way our own signed requests
 * verify; production refuses that CA) on a DATA_DIR holding the seeded demo catalog, SEED_DEMO off.
 *
 *   npm run bench:start            (from the root; builds dist/ first)
 *   npx tsx bench/deployed.ts --duration 20 --connections 32   (from packages/skill, after npm run build)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { devCaDir } from '@pitchline/alexa-kit/dev-ca-dir';
import { createSeededDatabase } from './fixtures';
import { runLoad } from './load';
import { buildPool } from './pool';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '600' },
  },
});
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const TARGET_RSS_MB = 600;
const WAYS = {
  tsx: ['--import', 'tsx', 'apps/server/src/main.ts'],
  bundle: ['dist/server.mjs'],
} as const;
type Way = keyof typeof WAYS;

if (!existsSync(join(REPO, 'dist/server.mjs'))) {
  process.stderr.write('dist/server.mjs is missing: run `npm run build` first (npm run bench:start does)\n');
  process.exit(1);
}

const PRODUCTION = {
  NODE_ENV: 'production',
  USER_ID_HASH_KEY: 'bench-start-hash-key-0123456789abcdef0123',
  PAYMENTS: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_bench',
  STRIPE_WEBHOOK_SECRET: 'whsec_bench',
};

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

type Running = { child: ChildProcess; port: number; startMs: number };

async function start(way: Way, dataDir: string, env: Record<string, string>): Promise<Running> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = performance.now();
  const child = spawn(process.execPath, [...WAYS[way]], {
    cwd: REPO,
    // Only what is given: an operator's environment must not change what is measured.
    env: {
      LOG_LEVEL: 'warn',
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${way} server exited while starting`);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (res?.status === 200) break;
    if (performance.now() - started > 180_000) throw new Error(`${way} server not ready within 180 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, port, startMs: performance.now() - started };
}

async function stop({ child }: Running): Promise<void> {
  const done = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await done;
}

/** RSS a moment after ready, once the start's own allocations settled. */
async function settledRss(pid: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 2000));
  return rssMb(pid);
}

const results: Record<string, Record<Way, string>> = {};
const row = (name: string, way: Way, value: string) => {
  results[name] ??= { tsx: '', bundle: '' };
  results[name][way] = value;
};

const work = await mkdtemp(join(tmpdir(), 'pitchline-bench-start-'));
const seeded = await createSeededDatabase();
try {
  for (const way of Object.keys(WAYS) as Way[]) {
    const dataDir = join(work, `${way}-production`);
    const first = await start(way, dataDir, PRODUCTION);
    row('first start → /readyz (production, empty DATA_DIR)', way, `${(first.startMs / 1000).toFixed(2)} s`);
    row('RSS after the first start', way, `${(await settledRss(first.child.pid as number)).toFixed(0)} MB`);
    await stop(first);
    const again = await start(way, dataDir, PRODUCTION);
    row('restart → /readyz', way, `${(again.startMs / 1000).toFixed(2)} s`);
    row('RSS after a restart', way, `${(await settledRss(again.child.pid as number)).toFixed(0)} MB`);
    await stop(again);

    // Load: the seeded demo catalog, our development CA trusted, the signed request mix.
    const loadDir = join(work, `${way}-load`);
    await cp(seeded.postgresDir, join(loadDir, 'postgres'), { recursive: true });
    const { signer } = await loadOrCreateDevSigner(devCaDir(loadDir));
    const server = await start(way, loadDir, {
      NODE_ENV: 'development',
      SEED_DEMO: 'false',
      ALEXA_DEV_CA: 'true',
    });
    const pid = server.child.pid as number;
    const pool = buildPool({ size: Number(args.pool), catalog: seeded.catalog, signer });
    let peak = await rssMb(pid);
    const sampler = setInterval(() => {
      void rssMb(pid).then((mb) => {
        peak = Math.max(peak, mb);
      });
    }, 200);
    const load = await runLoad(server.port, pool, {
      connections: Number(args.connections),
      durationS: Number(args.duration),
    });
    clearInterval(sampler);
    const end = await rssMb(pid);
    peak = Math.max(peak, end);
    await stop(server);
    row(
      `signed POST /alexa, ${args.duration} s × ${args.connections} connections`,
      way,
      `${load.reqPerSec.toFixed(0)} req/s (${load.non2xx + load.errors} failed)`,
    );
    row('RSS under load: peak', way, `${peak.toFixed(0)} MB`);
    row('RSS under load: at the end', way, `${end.toFixed(0)} MB`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await rm(seeded.dataDir, { recursive: true, force: true });
}

const width = Math.max(...Object.keys(results).map((k) => k.length));
const lines = [
  `${'measure'.padEnd(width)}  ${'tsx (sources)'.padStart(22)}  ${'bundle (node dist/)'.padStart(22)}`,
  ...Object.entries(results).map(
    ([name, v]) => `${name.padEnd(width)}  ${v.tsx.padStart(22)}  ${v.bundle.padStart(22)}`,
  ),
  `target: RSS ≤ ${TARGET_RSS_MB} MB after the first start and under load`,
];
process.stdout.write(`${lines.join('\n')}\n`);
