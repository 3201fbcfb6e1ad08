/**
 * The Pitchline POST /alexa hot path without HTTP or a load generator: the app built exactly as the
 * bench's Pitchline server builds it, driven through app.fetch by `--concurrency` callers over the
 * same signed pool, reporting CPU µs per answered request (and, with --profile, where it went).
 * On a shared machine, CPU per request is far steadier than req/s; use it to find and check fixes,
 * and bench/skill.ts for the figures that count.
 *
 *   npx tsx bench/hot-path.ts [--seconds 5 --concurrency 32 --profile --no-fsync]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSeededDatabase, createSigner } from './fixtures';
import { buildPool } from './pool';
import { formatProfile, readProfileSummary } from './profile';
import { buildPitchline } from './servers/pitchline';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    profile: { type: 'boolean', default: false },
    'no-fsync': { type: 'boolean', default: false },
    top: { type: 'string', default: '40' },
    'count-queries': { type: 'boolean', default: false },
  },
});

/** SQL text → times run, over the measured run: which turns still reach the database. */
const queries = new Map<string, number>();
let countQueries = false;
if (args['count-queries']) {
  const { PGlite } = await import('@electric-sql/pglite');
  for (const method of ['query', 'exec'] as const) {
    const original = PGlite.prototype[method] as (this: unknown, ...a: unknown[]) => unknown;
    (PGlite.prototype as unknown as Record<string, unknown>)[method] = function (
      this: unknown,
      ...a: unknown[]
    ) {
      if (countQueries) queries.set(String(a[0]), (queries.get(String(a[0])) ?? 0) + 1);
      return original.apply(this, a);
    };
  }
}

const root = await mkdtemp(join(tmpdir(), 'pitchline-hot-path-'));
const signer = await createSigner();
const db = await createSeededDatabase();
const built = await buildPitchline({
  target: 'pitchline',
  dataDir: root,
  seedPostgresDir: db.postgresDir,
  caPem: signer.caPem,
  chains: { [signer.signer.certUrl]: signer.signer.chainPem },
  fsync: !args['no-fsync'],
});
const pool = buildPool({ size: 600, catalog: db.catalog, signer: signer.signer, seed: 1 });

async function drive(
  seconds: number,
): Promise<{ n: number; cpuUs: number; systemUs: number; wallMs: number }> {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(args.concurrency) }, async () => {
      while (performance.now() < until) {
        const r = pool[next++ % pool.length] as (typeof pool)[number];
        const res = await built.app.fetch(
          new Request('http://127.0.0.1/alexa', { method: 'POST', headers: r.headers, body: r.body }),
        );
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${r.kind}: ${res.status} ${text}`);
        n++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { n, cpuUs: used.user + used.system, systemUs: used.system, wallMs: performance.now() - started };
}

const report = (label: string, r: { n: number; cpuUs: number; systemUs: number; wallMs: number }) =>
  console.log(
    `${label}: ${r.n} requests, ${((r.n / r.wallMs) * 1000).toFixed(0)} req/s wall, ` +
      `${(r.cpuUs / r.n).toFixed(0)} µs CPU/request (${(r.systemUs / r.n).toFixed(0)} µs of it in the kernel)`,
  );

report('warm-up', await drive(2));
let session: Session | undefined;
if (args.profile) {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
countQueries = true;
const measured = await drive(Number(args.seconds));
countQueries = false;
report('measured', measured);
for (const [sql, n] of [...queries].sort((a, b) => b[1] - a[1])) {
  console.log(`${(n / measured.n).toFixed(3)} per request: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
}
if (session) {
  const { profile } = await session.post('Profiler.stop');
  const path = join(tmpdir(), `pitchline-hot-path-${Date.now()}.cpuprofile`);
  await writeFile(path, JSON.stringify(profile));
  console.log(`${formatProfile(await readProfileSummary(path, Number(args.top)))}\n(profile at ${path})`);
}
const stats = await built.close();
console.log(JSON.stringify(stats));
await rm(root, { recursive: true, force: true });
await rm(db.dataDir, { recursive: true, force: true });
process.exit(0);
