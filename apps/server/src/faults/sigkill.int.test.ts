import { createClickHouse } from '@pitchline/analytics';
import type { DevSigner } from '@pitchline/skill/dev-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  startServerProcess,
} from './server-process';
import { BROWSE, BUY, httpSender, playSession, type SessionLog } from './shopper';

/**
 * The server is SIGKILLed while shoppers are mid-conversation, then restarted on the same DATA_DIR.
 * Every request that got its answer must have its turn in ClickHouse exactly once: the answer leaves only
 * after the events are durable in the write-ahead log, and the log's replay is deduplicated by segment.
 * This process opens chDB only after the last server exited (libchdb: one process per data directory).
 */
const CONCURRENCY = 24;

let stores: PreparedStores;
let signer: DevSigner;
let sessions: SessionLog[] = [];
let killedAfter = 0;
let killSignal: NodeJS.Signals | null = null;
let afterRestart: SessionLog[] = [];
let cleanExit: number | null = null;
let turnsByRequest = new Map<string, number>();
let startsBySession = new Map<string, number>();
let doubledEventIds: string[] = [];

async function loadUntilKilled(server: ServerProcess, killAt: number): Promise<SessionLog[]> {
  const send = httpSender(server.url, signer);
  const logs: SessionLog[] = [];
  let answered = 0;
  let dead = false;
  server.exited.then(() => {
    dead = true;
  });
  const worker = async (w: number) => {
    for (let i = 0; !dead; i++) {
      const log = await playSession(
        async (envelope) => {
          const res = await send(envelope);
          if (res.status === 200 && ++answered === killAt) server.child.kill('SIGKILL');
          return res;
        },
        (w + i) % 4 === 0 ? BUY : BROWSE,
      );
      logs.push(log);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  return logs;
}

beforeAll(async () => {
  stores = await prepareServerStores();
  ({ signer } = stores);
  const { dataDir } = stores;
  const first = await startServerProcess(dataDir, stores.env);
  // A different moment each run, always with requests in flight: the workers never pause.
  killedAfter = 150 + Math.floor(Math.random() * 250);
  sessions = await loadUntilKilled(first, killedAfter);
  killSignal = (await first.exited).signal;

  const second = await startServerProcess(dataDir, stores.env);
  const send = httpSender(second.url, signer);
  afterRestart = await Promise.all(Array.from({ length: 4 }, () => playSession(send, BROWSE)));
  // SIGTERM flushes the recovered backlog and the new events before the process exits.
  cleanExit = await second.stop();

  const ch = createClickHouse({ database: 'pitchline', dataDir });
  try {
    const rows = async <T>(query: string) =>
      (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
    const turns = await rows<{ id: string; n: string }>(
      `SELECT request_id AS id, count() AS n FROM pitchline.events WHERE type = 'turn' GROUP BY id`,
    );
    turnsByRequest = new Map(turns.map((r) => [r.id, Number(r.n)]));
    const starts = await rows<{ id: string; n: string }>(
      `SELECT session_id AS id, count() AS n FROM pitchline.events WHERE type = 'session_start' GROUP BY id`,
    );
    startsBySession = new Map(starts.map((r) => [r.id, Number(r.n)]));
    const doubled = await rows<{ id: string }>(
      'SELECT toString(event_id) AS id FROM pitchline.events GROUP BY id HAVING count() > 1',
    );
    doubledEventIds = doubled.map((r) => r.id);
  } finally {
    await ch.close();
  }
}, 150_000);

afterAll(async () => {
  await stores?.dispose();
});

describe('SIGKILL under load, then restart', () => {
  it('was killed mid-load: answers before the kill, requests cut off by it', () => {
    expect(killSignal).toBe('SIGKILL');
    const answered = sessions.flatMap((s) => s.answered);
    expect(answered.length).toBeGreaterThanOrEqual(killedAfter);
    expect(sessions.flatMap((s) => s.failed).length).toBeGreaterThan(0);
  });

  it('every request that received a 200 has its turn in ClickHouse exactly once', () => {
    const answered = [...sessions, ...afterRestart].flatMap((s) => s.answered);
    const missing = answered.filter((id) => !turnsByRequest.has(id));
    const notOnce = answered.filter((id) => (turnsByRequest.get(id) ?? 0) > 1);
    expect(missing).toEqual([]);
    expect(notOnce).toEqual([]);
  });

  it('a session whose launch was answered starts exactly once; no event is stored twice', () => {
    const launched = sessions.filter((s) => s.answered.length > 0).map((s) => s.sessionId);
    expect(launched.filter((id) => startsBySession.get(id) !== 1)).toEqual([]);
    expect([...turnsByRequest.values()].filter((n) => n !== 1)).toEqual([]);
    expect(doubledEventIds).toEqual([]);
  });

  it('the restarted server answers and exits cleanly on SIGTERM, flushing its log', () => {
    expect(afterRestart.every((s) => s.answered.length === BROWSE.length)).toBe(true);
    expect(cleanExit).toBe(0);
  });
});
