import { createServer } from 'node:net';
import { createClickHouse } from '@pitchline/analytics';
import { countEvents, duplicateEventIds, turnsPerRequest } from '@pitchline/analytics/testing';
import { describe, expect } from 'vitest';
import { faultFileBudget } from './budget';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  startServerProcess,
  waitFor,
} from './server-process';
import { BROWSE, httpSender, playSession, type SessionLog } from './shopper';

// Measured and budgeted in README.md beside this file.
const { beforeAll, it, afterAll } = faultFileBudget('clickhouse-refused', 50);

/**
 * Server mode pointed at a ClickHouse endpoint that refuses connections: the process still answers
 * shoppers, its write-ahead log grows, and SIGTERM still stops it in bounded time (the backlog stays in
 * the log). Restarted with a ClickHouse that works (the embedded one, on the same DATA_DIR and log), the
 * backlog drains: every answered turn stored exactly once.
 */
let stores: PreparedStores;
let sessions: SessionLog[] = [];
let queuedWhileDown = 0;
let stopMs = 0;
let stopCode: number | null = null;
let turns = new Map<string, number>();
let stored = 0;
let doubled: string[] = [];

/** A port nothing listens on: bound, then released. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

beforeAll(async () => {
  stores = await prepareServerStores();
  const down = await startServerProcess(
    stores.dataDir,
    { ...stores.env, CLICKHOUSE_URL: await refusedUrl() },
    {
      ready: false,
    },
  );
  const send = httpSender(down.url, stores.signer);
  sessions = await Promise.all(Array.from({ length: 6 }, () => playSession(send, BROWSE)));
  queuedWhileDown = await waitFor(
    async () => {
      const n = await metric(down, 'pitchline_events_queued');
      return n >= 6 * BROWSE.length ? n : undefined;
    },
    10_000,
    'events queued',
  );
  const t = Date.now();
  stopCode = await down.stop(25_000);
  stopMs = Date.now() - t;

  const back = await startServerProcess(stores.dataDir, stores.env);
  await waitFor(
    async () => ((await metric(back, 'pitchline_events_queued')) === 0 ? true : undefined),
    30_000,
    'backlog drained',
  );
  expect(await back.stop()).toBe(0);
  const ch = createClickHouse({ database: 'pitchline', dataDir: stores.dataDir });
  try {
    turns = new Map((await turnsPerRequest(ch)).map((r) => [r.requestId, r.n]));
    stored = await countEvents(ch);
    // The backlog reached ClickHouse by a second process replaying the first one's log: a segment shipped
    // twice (say, replayed after an insert the first process believed failed) shows up as doubled ids.
    doubled = await duplicateEventIds(ch);
  } finally {
    await ch.close();
  }
});

afterAll(async () => {
  await stores?.dispose();
});

describe('ClickHouse endpoint refusing connections', () => {
  it('the dialog keeps answering and the log grows', () => {
    for (const s of sessions) expect(s.failed).toEqual([]);
    expect(sessions.flatMap((s) => s.answered)).toHaveLength(6 * BROWSE.length);
    expect(queuedWhileDown).toBeGreaterThanOrEqual(6 * BROWSE.length);
  });

  it('SIGTERM still stops the server in bounded time, keeping the backlog in the log', () => {
    expect(stopCode).toBe(0);
    expect(stopMs).toBeLessThan(20_000);
    expect(stopCode).not.toBeNull();
  });

  it('once ClickHouse answers, the backlog drains: every answered turn exactly once, no event twice', () => {
    const answered = sessions.flatMap((s) => s.answered);
    expect(answered.filter((id) => turns.get(id) !== 1)).toEqual([]);
    expect(doubled).toEqual([]);
    // Everything queued while ClickHouse was down is there: a turn per request and a start and end per session.
    expect(stored).toBeGreaterThanOrEqual(queuedWhileDown);
    expect(stored).toBe(6 * (BROWSE.length + 2));
  });
});
