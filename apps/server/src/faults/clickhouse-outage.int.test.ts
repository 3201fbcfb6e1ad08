import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devCaDir, loadOrCreateDevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { duplicateEventIds, turnsPerRequest } from '@pitchline/analytics/testing';
import { seedDemo } from '@pitchline/db';
import { openTestDatabase, postgresUnavailableReason, type TestDatabase } from '@pitchline/db/testing';
import { createLogger } from '@pitchline/runtime/logger';
import { describe, expect } from 'vitest';
import { loadEnv } from '../env';
import { type Pitchline, startPitchline } from '../pitchline';
import { faultFileBudget } from './budget';
import { waitFor } from './server-process';
import { BROWSE, playSession, type Send, type SessionLog } from './shopper';

// Measured and budgeted in README.md beside this file.
const { beforeAll, it, afterAll } = faultFileBudget('clickhouse-outage', 25);

/**
 * ClickHouse goes away while shoppers talk: the embedded store's events table is detached, so every
 * batch INSERT fails as it would against a server that is down. The skill must keep answering, the
 * write-ahead log must grow (visible on /metrics), and once the table is back the backlog drains with
 * nothing lost and nothing doubled. In process, through startPitchline's real composition.
 */
const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';

let dataDir: string;
let database: TestDatabase | undefined;
let pitchline: Pitchline;
let send: Send;

async function metric(name: string): Promise<number> {
  const text = await (await pitchline.app.request('/metrics')).text();
  const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  return value === undefined ? Number.NaN : Number(value);
}

async function command(query: string): Promise<void> {
  await pitchline.stores.ch.client.command({ query });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-outage-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
  if ((await postgresUnavailableReason(PG_TEST_URL)) === undefined) {
    database = await openTestDatabase('postgres', { postgresUrl: PG_TEST_URL });
    await seedDemo(database.db);
    env.DATABASE_URL = database.location;
  }
  pitchline = await startPitchline(loadEnv(env), createLogger('silent'));
  if (!database) await seedDemo(pitchline.stores.database.db);
  const { signer } = await loadOrCreateDevSigner(devCaDir(dataDir));
  send = async (envelope) => {
    const body = JSON.stringify(envelope);
    return pitchline.app.request('/alexa', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
    });
  };
  await waitFor(
    async () => ((await pitchline.app.request('/readyz')).status === 200 ? true : undefined),
    60_000,
    'ready',
  );
});

afterAll(async () => {
  await pitchline?.close();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('ClickHouse unavailable for a while', () => {
  const sessions: SessionLog[] = [];
  const queued: number[] = [];
  const logBytes: number[] = [];

  it('the dialog keeps answering while every INSERT fails, and the log grows', async () => {
    await command('DETACH TABLE pitchline.events');
    const retriesBefore = await metric('pitchline_event_insert_retries_total');
    for (let round = 0; round < 3; round++) {
      sessions.push(...(await Promise.all(Array.from({ length: 6 }, () => playSession(send, BROWSE)))));
      // Past the writer's 250 ms batch delay, so each round's events are sealed and tried.
      await new Promise((r) => setTimeout(r, 400));
      queued.push(await metric('pitchline_events_queued'));
      logBytes.push(await metric('pitchline_event_log_bytes'));
    }
    for (const s of sessions) expect(s).toMatchObject({ failed: [], answered: expect.any(Array) });
    expect(sessions.flatMap((s) => s.answered)).toHaveLength(18 * BROWSE.length);
    // Every turn and session start waits in the log: two per launch, one per later turn.
    expect(queued[0]).toBeGreaterThanOrEqual(6 * (BROWSE.length + 1));
    expect(queued).toEqual([...queued].sort((a, b) => a - b));
    expect(queued.at(-1)).toBeGreaterThanOrEqual(18 * (BROWSE.length + 1));
    expect(logBytes[2]).toBeGreaterThan(logBytes[0] as number);
    expect(await metric('pitchline_event_insert_retries_total')).toBeGreaterThan(retriesBefore);
  });

  it('drains when ClickHouse returns: every answered turn stored exactly once', async () => {
    await command('ATTACH TABLE pitchline.events');
    // The queue count drops when ClickHouse confirms a batch; the log bytes only once its segment file is
    // deleted a moment later. Drained means both.
    await waitFor(
      async () =>
        (await metric('pitchline_events_queued')) === 0 && (await metric('pitchline_event_log_bytes')) === 0
          ? true
          : undefined,
      45_000,
      'drain',
    );

    const rows = await turnsPerRequest(pitchline.stores.ch);
    const turns = new Map(rows.map((r) => [r.requestId, r.n]));
    const answered = sessions.flatMap((s) => s.answered);
    expect(answered.filter((id) => turns.get(id) !== 1)).toEqual([]);
    expect(await duplicateEventIds(pitchline.stores.ch)).toEqual([]);
  });
});
