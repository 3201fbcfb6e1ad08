/**
 * Throughput of POST /alexa with a realistic mix of signed requests, verification and recording on,
 * side by side in the same run with (a) a bare Hono + ask-sdk-core handler and (b) the same dialog
 * behind ask-sdk-express-adapter with its verifiers off. Each server runs in a child process of its
 * own (one core serves, the other generates load); autocannon runs here.
 *
 *   npm run bench:skill                      (from the root: defaults)
 *   npx tsx bench/skill.ts [--duration 10 --warmup 3 --connections 32 --pool 600 --rounds 1
 *                           --only pitchline,bare-hono --profile --no-fsync]   (from apps/skill)
 *
 * (Through the root script npm swallows flags; from apps/skill, `npm run bench:skill -- --duration 5`.)
 * --profile runs V8's CPU profiler in the Pitchline server over the measured run only (as --cpu-prof
 * would, without start-up) and prints where the time went; profiling slows the run it measures.
 *
 * Exits 0 when the targets are missed (it is a measurement); non-zero only when a run had errors:
 * non-2xx answers, connection errors, wrong answers, lost events, or a server that failed.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSeededDatabase, createSigner, type SeededDatabase, type SignerFixture } from './fixtures';
import { type ChildConfig, TARGETS as SERVER_TARGETS, type ServerStats, type Target } from './ipc';
import { checkPool, checkRejectsTampered, runLoad } from './load';
import { buildPool } from './pool';
import { formatProfile, readProfileSummary } from './profile';
import { formatResults, formatVerdicts, LABELS, type Measurement, verdicts } from './report';
import { type ServerChild, spawnServer } from './spawn';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string', default: SERVER_TARGETS.join(',') },
    profile: { type: 'boolean', default: false },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const POOL_SIZE = Number(args.pool);
const ROUNDS = Number(args.rounds);
const FSYNC = !args['no-fsync'];
const ONLY = args.only.split(',').map((s) => s.trim()) as Target[];
for (const t of ONLY) if (!SERVER_TARGETS.includes(t)) throw new Error(`--only: unknown server ${t}`);
/** Alexa's timestamp tolerance is 150 s: the pool must be used well within it. */
const POOL_MAX_AGE_MS = 120_000;

class RunError extends Error {}

async function measure(
  target: Target,
  round: number,
  root: string,
  fx: { signer: SignerFixture; db: SeededDatabase },
  profileDir: string | undefined,
): Promise<{ measurement: Measurement; stats: ServerStats; cpuProfile: string | undefined }> {
  const dataDir = await mkdtemp(join(root, `${target}-`));
  const config: ChildConfig =
    target === 'pitchline'
      ? {
          target,
          dataDir,
          seedPostgresDir: fx.db.postgresDir,
          caPem: fx.signer.caPem,
          chains: { [fx.signer.signer.certUrl]: fx.signer.signer.chainPem },
          fsync: FSYNC,
        }
      : target === 'express-adapter'
        ? { target, dataDir, seedPostgresDir: fx.db.postgresDir }
        : { target };
  const child: ServerChild = await spawnServer(config);
  try {
    const built = Date.now();
    // Built right before use: every body carries a timestamp the verifier accepts for 150 s.
    const pool = buildPool({
      size: POOL_SIZE,
      catalog: fx.db.catalog,
      signer: fx.signer.signer,
      seed: round + 1,
    });

    const failures = await checkPool(child.port, pool, { checkSpeech: target !== 'bare-hono' });
    if (target === 'pitchline') {
      const tampered = await checkRejectsTampered(child.port, pool[0] as (typeof pool)[number]);
      if (tampered) failures.push(tampered);
    }
    if (failures.length > 0) {
      throw new RunError(
        `${LABELS[target]}: ${failures.length} of ${pool.length} checked requests failed:\n  ${failures.slice(0, 10).join('\n  ')}`,
      );
    }

    const warm = await runLoad(child.port, pool, { connections: CONNECTIONS, durationS: WARMUP_S });
    if (profileDir) await child.startProfile();
    const before = await child.usage();
    const clientBefore = process.cpuUsage();
    const load = await runLoad(child.port, pool, { connections: CONNECTIONS, durationS: DURATION_S });
    const client = process.cpuUsage(clientBefore);
    const after = await child.usage();
    const cpuProfile = profileDir
      ? await child.stopProfile(join(profileDir, `${target}.cpuprofile`))
      : undefined;
    const memory = await child.memory();
    if (Date.now() - built > POOL_MAX_AGE_MS) {
      throw new RunError(
        `${LABELS[target]}: the run outlasted the pool's timestamps; use a shorter --duration`,
      );
    }
    const stats = await child.stop();

    const serverCpuUs = after.cpuUserUs - before.cpuUserUs + (after.cpuSystemUs - before.cpuSystemUs);
    const measurement: Measurement = {
      target,
      load,
      serverCores: serverCpuUs / 1e6 / load.durationS,
      clientCores: (client.user + client.system) / 1e6 / load.durationS,
      peakRssBytes: memory.peakRssBytes,
      rssBytes: memory.rssBytes,
    };
    const answered = pool.length + warm.ok + load.ok;
    // Kernel time (socket writes, fdatasync on libuv threads) apart: it is not the JavaScript's to save.
    const systemMsPerReq = (after.cpuSystemUs - before.cpuSystemUs) / 1000 / Math.max(1, load.ok);
    console.log(
      `  ${LABELS[target]}: ${load.reqPerSec.toFixed(0)} req/s, p99 ${load.p99Ms.toFixed(2)} ms ` +
        `(warm-up ${warm.reqPerSec.toFixed(0)} req/s), ${systemMsPerReq.toFixed(3)} ms/req of its CPU in the kernel; ` +
        `server ${JSON.stringify(stats)}`,
    );
    const problems: string[] = [];
    for (const [name, run] of [
      ['warm-up', warm],
      ['run', load],
    ] as const) {
      if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
        problems.push(
          `${name}: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts, statuses ${JSON.stringify(run.statuses)}`,
        );
      }
    }
    for (const counter of ['recordFailures', 'invalidEvents', 'dialogErrors'] as const) {
      if ((stats[counter] ?? 0) > 0) problems.push(`server counted ${stats[counter]} ${counter}`);
    }
    // Every answered turn records a turn event before the answer leaves; all must reach ClickHouse.
    if (target === 'pitchline' && (stats.turnsInClickHouse ?? 0) < answered) {
      problems.push(`${answered} turns answered but ${stats.turnsInClickHouse} turn events in ClickHouse`);
    }
    if (problems.length > 0) throw new RunError(`${LABELS[target]}: ${problems.join('; ')}`);
    return { measurement, stats, cpuProfile };
  } finally {
    child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function median(results: Measurement[]): Measurement {
  const sorted = [...results].sort((a, b) => a.load.reqPerSec - b.load.reqPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Measurement;
}

async function main(): Promise<number> {
  console.log(
    `bench:skill — Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n` +
      `  ${DURATION_S} s runs after ${WARMUP_S} s warm-up, ${CONNECTIONS} connections, pipelining 1, ` +
      `pool of ${POOL_SIZE} signed requests, ${ROUNDS} round(s), event log fsync ${FSYNC ? 'on' : 'off'}`,
  );
  const root = await mkdtemp(join(tmpdir(), 'pitchline-bench-skill-'));
  let db: SeededDatabase | undefined;
  try {
    const signer = await createSigner();
    db = await createSeededDatabase();
    const profileDir = args.profile ? join(tmpdir(), `pitchline-skill-profile-${Date.now()}`) : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });

    const byTarget = new Map<Target, Measurement[]>();
    let cpuProfile: string | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order, so drift in machine load does not always favour the same server.
      const order = round % 2 === 0 ? ONLY : [...ONLY].reverse();
      for (const target of order) {
        const run = await measure(
          target,
          round,
          root,
          { signer, db },
          target === 'pitchline' && round === 0 ? profileDir : undefined,
        );
        cpuProfile ??= run.cpuProfile;
        byTarget.set(target, [...(byTarget.get(target) ?? []), run.measurement]);
      }
    }
    const results = ONLY.map((t) => median(byTarget.get(t) ?? []));
    console.log(`\n${ROUNDS > 1 ? `median of ${ROUNDS} rounds by req/s\n` : ''}${formatResults(results)}`);
    const list = verdicts(results);
    if (list.length > 0) console.log(`\ntargets:\n${formatVerdicts(list)}`);

    if (cpuProfile) {
      console.log(
        `\n${formatProfile(await readProfileSummary(cpuProfile))}\n(profile kept at ${cpuProfile})`,
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof RunError)) throw err;
    console.error(`\nFAILED RUN: ${err.message}`);
    return 1;
  } finally {
    await rm(root, { recursive: true, force: true });
    if (db) await rm(db.dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
