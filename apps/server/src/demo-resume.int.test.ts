import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countEvents, countEventsBySession, localDays, turnsPerRequest } from '@pitchline/analytics/testing';
import { DEMO_MERCHANT_ID } from '@pitchline/db';
import { createPgliteDataDir } from '@pitchline/db/testing';
import { createLogger } from '@pitchline/runtime/logger';
import { historyWindow, parseSimulatorConfig, planVisits, sessionIdOf } from '@pitchline/simulation';
import { DEMO_HISTORY_CONFIG } from '@pitchline/simulation/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, useEmbeddedDefaults } from './demo-history.testing';
import { loadEnv } from './env';
import { type ServerProcess, startServerProcess, waitFor } from './faults/server-process';
import { type Pitchline, startPitchline } from './pitchline';

/*
 * Issue #6, an interrupted first start: Ctrl-C while the first start replays the demo history must not
 * lose it for good. The real entry is started on a DATA_DIR with empty stores, interrupted (SIGINT) once the replay
 * has stored part of the history, and started again: that start plays the rest, skipping what the first
 * stored, so the history ends complete and nothing in it twice. A third start (in this process, which
 * then reads both stores through it) replays nothing.
 */
const TIME_ZONE = 'America/New_York';
/** Events recorded before the interruption: a fifth or so of the ~5,000 a history has. */
const STOP_AFTER_EVENTS = 1_000;

type Replayed = { sessions: number; skipped: number; planned: number; complete: boolean; orders: number };

let dataDir: string;
let first: ServerProcess | undefined;
let second: ServerProcess | undefined;
let firstRun: Replayed;
let secondRun: Replayed;
let firstExit: number | null = null;
let secondExit: number | null = null;
let markerAfterFirst: { state?: string; now?: number } = {};
let markerAfterSecond: { state?: string; now?: number } = {};
let third: Pitchline | undefined;

const readMarker = async () =>
  JSON.parse(await readFile(path.join(dataDir, 'demo-history.json'), 'utf8')) as {
    state?: string;
    now?: number;
  };

function replayed(output: string, msg: string): Replayed {
  const [line, ...more] = logLines(output, msg);
  if (!line || more.length > 0) throw new Error(`expected one "${msg}" log line in:\n${output}`);
  return line as unknown as Replayed;
}

/** Events the server's writer has taken (in its log or shipped), from its Prometheus metrics. */
async function eventsTaken(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return metric('pitchline_events_queued') + metric('pitchline_events_shipped_total');
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-demo-resume-'));
  useEmbeddedDefaults();
  // PGlite's initdb done beforehand (the tests' template): it costs tens of seconds on a busy machine and
  // is not what this test is about. The database is still empty: the first start migrates and seeds it.
  const template = await createPgliteDataDir();
  await rename(path.join(template, 'postgres'), path.join(dataDir, 'postgres'));
  await rm(template, { recursive: true, force: true });
  // Info level: the replay's outcome is a log line ("demo history replayed" / "... stopped ...").
  const env = { SEED_DEMO: 'true', LOG_LEVEL: 'info' };
  const t0 = performance.now();
  const laps: string[] = [];
  const lap = (what: string) => laps.push(`${what} ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  first = await startServerProcess(dataDir, env, { ready: false });
  const firstUrl = first.url;
  await waitFor(
    async () => ((await eventsTaken(firstUrl)) >= STOP_AFTER_EVENTS ? true : undefined),
    90_000,
    `${STOP_AFTER_EVENTS} events recorded`,
  );
  lap('interrupted');
  first.child.kill('SIGINT');
  firstExit = (await first.exited).code;
  lap('first exited');
  firstRun = replayed(first.output(), 'demo history stopped; the next start resumes it');
  markerAfterFirst = await readMarker();

  second = await startServerProcess(dataDir, env, { ready: false });
  const running = second;
  await waitFor(() => /Demo history ready/.exec(running.output())?.[0], 120_000, 'Demo history ready');
  lap('second replayed');
  secondExit = await second.stop();
  secondRun = replayed(second.output(), 'demo history replayed');
  markerAfterSecond = await readMarker();

  third = await startPitchline(loadEnv({ DATA_DIR: dataDir }), createLogger('silent'));
  lap('third started');
  process.stdout.write(
    `first start stopped after ${firstRun.sessions} of ${firstRun.planned} sessions (${firstRun.orders} orders); the second played ${secondRun.sessions} (${secondRun.orders} orders), skipping ${secondRun.skipped} (${laps.join(', ')})\n`,
  );
}, 300_000);

afterAll(async () => {
  first?.child.kill('SIGKILL');
  second?.child.kill('SIGKILL');
  await third?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** What the third start's ClickHouse holds: read through it, as the servers have exited. */
const stored = () => (third as Pitchline).stores.ch;
const demoMerchant = { merchantId: DEMO_MERCHANT_ID };

describe('a first start interrupted during the demo history replay', () => {
  it('was really cut short: part of the plan played, the history left pending', () => {
    expect(firstExit).toBe(0);
    expect(first?.output()).toMatch(/Dashboard login/);
    expect(firstRun.complete).toBe(false);
    expect(firstRun.sessions).toBeGreaterThan(0);
    expect(firstRun.sessions).toBeLessThan(firstRun.planned);
    expect(markerAfterFirst.state).toBe('pending');
  });

  it('is resumed by the next start, which plays exactly the sessions the first did not', () => {
    expect(secondExit).toBe(0);
    // The merchant exists: no second seeding, no second login line; the history is replayed all the same.
    expect(second?.output()).not.toMatch(/Dashboard login/);
    expect(second?.output()).toMatch(/Replaying 30 days of demo shoppers/);
    expect(secondRun.complete).toBe(true);
    expect(secondRun.planned).toBe(firstRun.planned);
    // Every session the first start began, it finished (SIGINT starts no new one and waits for those in
    // flight) and its events reached ClickHouse or its log: the second skips exactly those.
    expect(secondRun.skipped).toBe(firstRun.sessions);
    expect(secondRun.sessions).toBe(firstRun.planned - firstRun.sessions);
    expect(markerAfterSecond).toEqual({ ...markerAfterFirst, state: 'complete' });
  });

  it('is not replayed again by a later start', () => {
    expect(third?.seeded).toBeNull();
    expect(third?.startDemoHistory()).toBeNull();
  });

  it('leaves ClickHouse with every planned session once: the same sessions an uninterrupted replay plays', async () => {
    // The plan is seeded: its session ids depend on the seed, shopper and visit number only, and the
    // window is the first start's (kept in the marker), so the expected sessions are known exactly.
    const config = parseSimulatorConfig({ ...DEMO_HISTORY_CONFIG, timeZone: TIME_ZONE });
    const window = historyWindow(markerAfterFirst.now as number, config.days, TIME_ZONE);
    const plan = planVisits(config, window).map((visit) => sessionIdOf(config.seed, visit));
    expect(plan.length).toBe(firstRun.planned);

    const starts = await countEventsBySession(stored(), { ...demoMerchant, types: ['session_start'] });
    expect(starts.filter((s) => s.n !== 1)).toEqual([]);
    expect(starts.map((s) => s.sessionId).sort()).toEqual([...plan].sort());

    // A session played twice would repeat its seeded request ids: every turn is stored once.
    const requests = await turnsPerRequest(stored(), demoMerchant);
    const turns = requests.reduce((sum, r) => sum + r.n, 0);
    expect(turns).toBe(requests.length);
    expect((await localDays(stored(), TIME_ZONE, { ...demoMerchant, types: ['turn'] })).length).toBe(30);
  });

  it('leaves the database with the orders both starts placed, once, and payments matching ClickHouse', async () => {
    const { db } = (third as Pitchline).stores.database;
    const rows = await db.query.orders.findMany({
      columns: { status: true },
      where: (o, { eq }) => eq(o.merchantId, DEMO_MERCHANT_ID),
    });
    expect(rows.length).toBe(firstRun.orders + secondRun.orders);
    const payments = await countEvents(stored(), { ...demoMerchant, types: ['payment_succeeded'] });
    expect(rows.filter((o) => o.status === 'paid').length).toBe(payments);
  });
});
