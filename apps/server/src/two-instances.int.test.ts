import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JobRun, listJobRuns } from '@pitchline/db';
import { openTestDatabase, postgresUnavailableReason, type TestDatabase } from '@pitchline/db/testing';
import { LOCK_POLL_MS } from '@pitchline/jobs';
import { type ServerProcess, startDeployable, waitFor } from '@pitchline/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Two real server processes sharing one PostgreSQL (a fresh database per run), each with its own
 * DATA_DIR and event log: one of them runs the periodic jobs; killed with SIGKILL (no shutdown, no
 * unlock), the other takes over within the bound README "Deploy" states; the job_runs ledger never shows
 * a job run twice for one period.
 */

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
if (postgresSkip) console.warn(`[@pitchline/server] skipping the two-instance test: ${postgresSkip}`);

/** README "Deploy": a killed holder's jobs resume elsewhere within 10 s (one lock poll, 5 s, plus a job period). */
const STATED_TAKEOVER_MS = 10_000;
const JOB_PERIOD_SECONDS = 1;

(postgresSkip ? describe.skip : describe)('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let work: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres', { postgresUrl: PG_TEST_URL, migrate: false });
    work = await mkdtemp(path.join(tmpdir(), 'pitchline-two-'));
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    await database?.close();
    await rm(work, { recursive: true, force: true });
  });

  const runs = () => listJobRuns(database.db, 'rebalance-bandits') as Promise<JobRun[]>;
  const instanceOf = (server: ServerProcess) => `${hostname()}:${server.child.pid}`;

  it('runs the jobs in exactly one, and in the other within the stated time after a kill -9', async () => {
    expect(LOCK_POLL_MS).toBeLessThan(STATED_TAKEOVER_MS);
    const env = {
      DATABASE_URL: database.location,
      BANDIT_REBALANCE_SECONDS: String(JOB_PERIOD_SECONDS),
      ALERTS_EVALUATE_SECONDS: String(JOB_PERIOD_SECONDS),
    };
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) => startDeployable(APP_DIR, path.join(work, name), env)),
    );
    servers.push(a as ServerProcess, b as ServerProcess);
    const first = a as ServerProcess;
    const second = b as ServerProcess;

    // Several periods pass with both up: every run is by the same instance.
    const before = await waitFor(
      async () => ((await runs()).length >= 4 ? runs() : undefined),
      60_000,
      'four job runs',
    );
    const holders = new Set(before.map((run) => run.instance));
    expect(holders.size).toBe(1);
    const holderName = [...holders][0];
    expect([instanceOf(first), instanceOf(second)]).toContain(holderName);
    const [holder, standby] = holderName === instanceOf(first) ? [first, second] : [second, first];

    holder.child.kill('SIGKILL');
    await holder.exited;
    const killedAt = Date.now();
    const takeover = await waitFor(
      async () => (await runs()).find((run) => run.instance === instanceOf(standby)),
      60_000,
      'the standby to run the job',
    );
    const takeoverMs = takeover.startedAt.getTime() - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(STATED_TAKEOVER_MS);

    // A few more periods on the survivor, then the ledger: one row per period, never two.
    await waitFor(
      async () =>
        (await runs()).filter((run) => run.instance === instanceOf(standby)).length >= 3 ? true : undefined,
      60_000,
      'three runs on the survivor',
    );
    const ledger = await runs();
    const slots = ledger.map((run) => run.slot);
    expect(new Set(slots).size).toBe(slots.length);
    // Each instance's runs form one stretch: the holder's all before the survivor's.
    const lastOfHolder = Math.max(
      ...ledger.filter((r) => r.instance === holderName).map((r) => Number(r.slot)),
    );
    const firstOfStandby = Math.min(
      ...ledger.filter((r) => r.instance === instanceOf(standby)).map((r) => Number(r.slot)),
    );
    expect(firstOfStandby).toBeGreaterThan(lastOfHolder);
    expect(ledger.every((run) => [holderName, instanceOf(standby)].includes(run.instance))).toBe(true);
    // The alerts evaluator runs under the same lock: once per period, by whichever instance holds it.
    const alerts = (await listJobRuns(database.db, 'evaluate-alerts')) as JobRun[];
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(alerts.map((run) => run.slot)).size).toBe(alerts.length);
    expect(alerts.every((run) => [holderName, instanceOf(standby)].includes(run.instance))).toBe(true);
    const alertsByHolder = alerts.filter((r) => r.instance === holderName).map((r) => Number(r.slot));
    const alertsByStandby = alerts
      .filter((r) => r.instance === instanceOf(standby))
      .map((r) => Number(r.slot));
    if (alertsByHolder.length > 0 && alertsByStandby.length > 0) {
      expect(Math.min(...alertsByStandby)).toBeGreaterThan(Math.max(...alertsByHolder));
    }

    expect(await standby.stop()).toBe(0);
    console.info(
      `[two instances] takeover ${takeoverMs} ms after kill -9 (stated bound ${STATED_TAKEOVER_MS} ms)`,
    );
  }, 240_000);
});
