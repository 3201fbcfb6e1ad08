/**
 * `npm run simulate -- --shoppers N [--days D] [--config file.json] [--url http://127.0.0.1:3000]`
 *
 * Without --days (or --days 0): N shoppers visit the running server now, through its POST /alexa,
 * signed with the development CA it trusts. With --days D: D past days are replayed in this process
 * through the skill's real handlers with simulated clocks, into the server's stores (stop the server
 * first in embedded mode: PGlite and chDB serve one process).
 *
 * Exit codes: 0 every request answered 200; 1 a request was not, or the run failed (stores, server
 * unreachable); 2 a bad flag, config file or environment variable (one line naming it).
 */
import path from 'node:path';
import type { RunStats } from '@pitchline/simulation';
import { ZodError } from 'zod';
import { type CliRequest, describeIssue, parseCliArgs, USAGE, UsageError } from './cli-args';
import { invocationDir, loadSimulateEnv, type SimulateEnv } from './env';

function fail(code: number, message: string): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(code);
}

let request: CliRequest;
let env: SimulateEnv;
try {
  request = await parseCliArgs(process.argv.slice(2), invocationDir());
  env = loadSimulateEnv();
} catch (error) {
  if (error instanceof UsageError) fail(2, error.message);
  if (error instanceof ZodError) {
    fail(2, error.issues.map(describeIssue).join('; '));
  }
  throw error;
}
if (request.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { config } = request;
const started = performance.now();

// Each mode loads only what it uses (the replay opens the stores; live needs the dev CA and fetch).
async function live(): Promise<RunStats> {
  const { loadOrCreateDevSigner } = await import('@pitchline/alexa-kit/dev-ca');
  const { runLive } = await import('@pitchline/simulation');
  const base = request.url ?? env.skillUrl;
  const endpoint = `${base}/alexa`;
  // Asked once before the shoppers go: a server that is not there is one clear line, not one per request.
  try {
    const res = await fetch(`${base}/healthz`);
    await res.body?.cancel();
  } catch (error) {
    const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    fail(1, `cannot reach the server at ${base} (${cause}): start it with npm start, or pass --url`);
  }
  const { signer } = await loadOrCreateDevSigner(env.devCaDir);
  process.stdout.write(`${config.shoppers} shoppers → POST ${endpoint}\n`);
  return runLive(config, {
    endpoint,
    signer,
    skillId: env.skillId,
    accessToken: env.accessToken,
    realPace: request.realPace,
  });
}

async function replay(): Promise<RunStats> {
  const { createClickHouse, EventWriter, migrateClickHouse } = await import('@pitchline/analytics');
  const { DEMO_SKILL_ID, migrateDatabase, openDatabase, seedDemo } = await import('@pitchline/db');
  const { loadOrCreateUserIdHashKey } = await import('@pitchline/skill/user-id-hash-key');
  const { replayHistory } = await import('@pitchline/simulation');
  const { merchantOfSkill } = await import('@pitchline/simulation');
  process.stdout.write(`Replaying ${config.days} days of ${config.shoppers} shoppers into ${env.dataDir}\n`);
  // Into the server's DATA_DIR: what this creates there must be as private as what the server creates.
  const { makeDataDirPrivate } = await import('@pitchline/runtime/private-data-dir');
  await makeDataDirPrivate(env.dataDir, {
    warn: (_details: object, message?: string) => process.stderr.write(`warning: ${message}\n`),
  });
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }).catch(
    (err: Error) =>
      fail(
        1,
        `cannot open the relational store (${err.message}). In embedded mode the server holds it: stop the server, replay, then start it again.`,
      ),
  );
  await migrateDatabase(database);
  if (env.skillId === DEMO_SKILL_ID) {
    // An empty DATA_DIR has no shop to replay into: the demo merchant is created as the server's first
    // start would (idempotent; an existing one is left alone). The server then finds it seeded and
    // replays no demo history of its own over this one.
    const seeded = await seedDemo(database.db);
    if (seeded.created) {
      process.stdout.write(
        `Seeded the demo merchant. Dashboard login: ${seeded.login.email} / ${seeded.login.password}\n`,
      );
    }
  }
  await merchantOfSkill(database.db, env.skillId).catch(async (err: Error) => {
    await database.close();
    fail(1, err.message);
  });
  const ch = createClickHouse({ ...env.clickhouse, dataDir: env.dataDir });
  await migrateClickHouse(ch);
  const events = new EventWriter({ ch, walDir: path.join(env.dataDir, 'event-log') });
  await events.start();
  try {
    const result = await replayHistory(
      {
        db: database.db,
        recordEvent: (event) => events.record(event),
        userIdHashKey: env.userIdHashKey ?? (await loadOrCreateUserIdHashKey(env.dataDir)),
      },
      config,
      { skillId: env.skillId },
    );
    process.stdout.write(
      `Replayed ${result.visits} sessions from ${new Date(result.window.start).toISOString()} to ${new Date(result.window.end).toISOString()}\n`,
    );
    return result.stats;
  } finally {
    await events.close();
    await ch.close();
    await database.close();
  }
}

const stats = config.days === 0 ? await live() : await replay();
const seconds = (performance.now() - started) / 1000;
if (request.json) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
else {
  const non200 = stats.requests - (stats.byStatus[200] ?? 0);
  process.stdout.write(
    `${[
      `${stats.sessions} sessions, ${stats.requests} requests in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s), ${non200} not 200`,
      `orders placed ${stats.ordersPlaced} (charged ${stats.ordersCharged}, payment needed ${stats.paymentsNeeded}), declined ${stats.ordersDeclined}, link cards ${stats.linkCards}`,
      ...Object.entries(stats.byVariant).map(
        ([key, v]) =>
          `  variant ${key}: ${v.shoppers} shoppers, ${v.sessions} sessions, ${v.ordersCharged} charged, ${v.stopsAfterPitch} stopped after the pitch`,
      ),
      ...stats.problems.map((p) => `  problem: ${p}`),
    ].join('\n')}\n`,
  );
}
process.exit(stats.requests > 0 && stats.byStatus[200] === stats.requests ? 0 : 1);
