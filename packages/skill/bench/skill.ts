/**
 * Throughput of POST /alexa with a realistic mix of signed requests, verification and recording on,
 * side by side in the same run with (a) a bare Hono + ask-sdk-core handler and the same dialog behind
 * ask-sdk-express-adapter with its verifiers (b) off and (c) on, the like-for-like peer. Each server runs
 * in a child process of its own (one core serves, the other generates load); autocannon runs here.
 * Then Pitchline again, open loop at fixed shares of the maximum it just reached (latency from each
 * request's due time, so a stall is not hidden), the run at 50 % profiled to split the CPU per request
 * by stage (HTTP + SDK, signature verification, dialog, recording + WAL, chDB ingest, GC).
 *
 *   npm run bench:skill                      (from the root: defaults)
 *   npx tsx bench/skill.ts [--duration 10 --warmup 3 --connections 32 --pool 600 --rounds 1
 *                           --only pitchline,bare-hono --open-loop 0.25,0.5,0.75 --profile --no-fsync]
 *
 * (Through the root script npm swallows flags; from packages/skill, `npm run bench:skill -- --duration 5`.)
 * --profile runs V8's CPU profiler in the Pitchline server over the closed-loop run only (as --cpu-prof
 * would, without start-up) and prints where the time went; profiling slows the run it measures.
 *
 * Exits 0 when the targets are missed (it is a measurement); non-zero only when a run had errors:
 * non-2xx answers, connection errors, wrong answers, lost events, or a server that failed.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSeededDatabase, createSigner, type SeededDatabase, type SignerFixture } from './fixtures';
import { type ChildConfig, TARGETS as SERVER_TARGETS, type ServerStats, type Target } from './ipc';
import { checkPool, checkRejectsTampered, runLoad } from './load';
import { runOpenLoop } from './open-loop';
import { buildPool } from './pool';
import { formatProfile, readProfileSummary } from './profile';
import {
  formatOpenLoop,
  formatResults,
  formatVerdicts,
  LABELS,
  type Measurement,
  type OpenLoopRun,
  verdicts,
} from './report';
import { type ServerChild, spawnServer } from './spawn';
import { formatStages, splitByStage } from './stages';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string', default: SERVER_TARGETS.join(',') },
    profile: { type: 'boolean', default: false },
    /** Offered rates for the open-loop runs, as fractions of Pitchline's closed-loop maximum ('' for none). */
    'open-loop': { type: 'string', default: '0.25,0.5,0.75' },
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
const OPEN_LOOP_FRACTIONS = args['open-loop']
  .split(',')
  .filter((f) => f.trim() !== '')
  .map(Number);
for (const f of OPEN_LOOP_FRACTIONS)
  if (!(f > 0 && f <= 1)) throw new Error(`--open-loop: ${f} is not in (0, 1]`);
/** The open-loop run whose profile splits the CPU per request by stage (the one the p99 target is at). */
const STAGE_PROFILE_FRACTION = 0.5;
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
  stageDir: string | undefined,
): Promise<{
  measurement: Measurement;
  stats: ServerStats;
  cpuProfile: string | undefined;
  openLoop: OpenLoopRun[];
}> {
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
        : target === 'express-verified'
          ? {
              target,
              dataDir,
              seedPostgresDir: fx.db.postgresDir,
              chains: { [fx.signer.signer.certUrl]: fx.signer.signer.chainPem },
            }
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
    if (target === 'pitchline' || target === 'express-verified') {
      const tampered = await checkRejectsTampered(child.port, pool[0] as (typeof pool)[number], target);
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
    if (Date.now() - built > POOL_MAX_AGE_MS) {
      throw new RunError(
        `${LABELS[target]}: the run outlasted the pool's timestamps; use a shorter --duration`,
      );
    }
    // Open loop at fixed shares of the maximum just measured, in the same server: latency as a shopper
    // feels it at ordinary load. Each run gets a freshly signed pool (timestamps last 150 s).
    const openLoop: OpenLoopRun[] = [];
    if (target === 'pitchline' && round === 0) {
      for (const fraction of OPEN_LOOP_FRACTIONS) {
        const fresh = buildPool({
          size: POOL_SIZE,
          catalog: fx.db.catalog,
          signer: fx.signer.signer,
          seed: 100 + round,
        });
        const profiled = fraction === STAGE_PROFILE_FRACTION && stageDir !== undefined;
        if (profiled) await child.startProfile();
        const usageBefore = await child.usage();
        const result = await runOpenLoop(child.port, fresh, {
          ratePerSec: Math.max(1, Math.round(fraction * load.reqPerSec)),
          durationS: DURATION_S,
        });
        const usageAfter = await child.usage();
        const cpuUs =
          usageAfter.cpuUserUs - usageBefore.cpuUserUs + (usageAfter.cpuSystemUs - usageBefore.cpuSystemUs);
        const profile = profiled
          ? await child.stopProfile(join(stageDir as string, `open-loop-${fraction}.cpuprofile`))
          : undefined;
        if (result.failed > 0)
          throw new RunError(`open loop at ${fraction}: ${result.failed} of ${result.sent} failed`);
        openLoop.push({ fraction, result, cpuMsPerReq: cpuUs / 1000 / Math.max(1, result.ok), profile });
      }
    }
    const memory = await child.memory();
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
    return { measurement, stats, cpuProfile, openLoop };
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

    const stageDir = await mkdtemp(join(tmpdir(), 'pitchline-skill-stages-'));
    const byTarget = new Map<Target, Measurement[]>();
    let cpuProfile: string | undefined;
    let openLoop: OpenLoopRun[] = [];
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
          stageDir,
        );
        cpuProfile ??= run.cpuProfile;
        if (run.openLoop.length > 0) openLoop = run.openLoop;
        byTarget.set(target, [...(byTarget.get(target) ?? []), run.measurement]);
      }
    }
    const results = ONLY.map((t) => median(byTarget.get(t) ?? []));
    console.log(`\n${ROUNDS > 1 ? `median of ${ROUNDS} rounds by req/s\n` : ''}${formatResults(results)}`);
    if (openLoop.length > 0) console.log(`\n${formatOpenLoop(openLoop)}`);
    const staged = openLoop.find((run) => run.profile !== undefined);
    if (staged?.profile) {
      const split = splitByStage(JSON.parse(await readFile(staged.profile, 'utf8')));
      console.log(
        `\n${formatStages(split, staged.result.ok, staged.cpuMsPerReq)}\n(from the profile of the open-loop run at ${staged.fraction * 100}% of the maximum, kept at ${staged.profile})`,
      );
    }
    const list = verdicts(results, openLoop);
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
