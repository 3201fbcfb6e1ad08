import type { DevSigner } from '@pitchline/alexa-kit/dev-ca';
import { createClickHouse } from '@pitchline/analytics';
import { countEventsBySession, duplicateEventIds, turnsPerRequest } from '@pitchline/analytics/testing';
import { EVENT_TYPES, type EventType } from '@pitchline/core';
import { describe, expect } from 'vitest';
import { faultFileBudget } from './budget';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  startServerProcess,
} from './server-process';
import { BROWSE, BUY, httpSender, playSession, type SessionLog, type Step } from './shopper';

// Measured and budgeted in README.md beside this file.
const { beforeAll, it, afterAll } = faultFileBudget('sigkill', 70);

/**
 * The server is SIGKILLed while shoppers are mid-conversation, then restarted on the same DATA_DIR.
 * Every request that got its answer must have its turn, and every event it produced (the cart_add of an
 * answered add-to-cart, the order_confirmed of an answered "yes" …), in ClickHouse exactly once: the
 * answer leaves only after the events are durable in the write-ahead log, and the log's replay is
 * deduplicated by segment.
 * This process opens chDB only after the last server exited (libchdb: one process per data directory).
 */
const CONCURRENCY = 24;

let stores: PreparedStores;
let signer: DevSigner;
/** A session played, with the script it followed. */
type Played = SessionLog & { steps: readonly Step[] };

let sessions: Played[] = [];
let killedAfter = 0;
let killSignal: NodeJS.Signals | null = null;
let afterRestart: Played[] = [];
let cleanExit: number | null = null;
let turnsByRequest = new Map<string, number>();
/** `${session_id} ${type}` → how many such events ClickHouse holds (turns excluded: counted per request). */
let eventsBySession = new Map<string, number>();
let doubledEventIds: string[] = [];

async function loadUntilKilled(server: ServerProcess, killAt: number): Promise<Played[]> {
  const send = httpSender(server.url, signer);
  const logs: Played[] = [];
  let answered = 0;
  let dead = false;
  server.exited.then(() => {
    dead = true;
  });
  const worker = async (w: number) => {
    for (let i = 0; !dead; i++) {
      const steps = (w + i) % 4 === 0 ? BUY : BROWSE;
      const log = await playSession(async (envelope) => {
        const res = await send(envelope);
        if (res.status === 200 && ++answered === killAt) server.child.kill('SIGKILL');
        return res;
      }, steps);
      logs.push({ ...log, steps });
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
  afterRestart = await Promise.all(
    Array.from({ length: 4 }, async () => ({ ...(await playSession(send, BROWSE)), steps: BROWSE })),
  );
  // SIGTERM flushes the recovered backlog and the new events before the process exits.
  cleanExit = await second.stop();

  const ch = createClickHouse({ database: 'pitchline', dataDir });
  try {
    turnsByRequest = new Map((await turnsPerRequest(ch)).map((r) => [r.requestId, r.n]));
    const bySession = await countEventsBySession(ch, { types: EVENT_TYPES.filter((t) => t !== 'turn') });
    eventsBySession = new Map(bySession.map((r) => [`${r.sessionId} ${r.type}`, r.n]));
    doubledEventIds = await duplicateEventIds(ch);
  } finally {
    await ch.close();
  }
});

afterAll(async () => {
  await stores?.dispose();
});

/**
 * How many of each event type a session may hold, from how far its script got: exactly one of what an
 * answered request produced, none of what no request sent would have, and zero or one of what the
 * request cut off by the kill produced (it may have become durable before the answer was lost). A
 * payment arrives by webhook after the "yes" was answered and may die with the process: at most one.
 */
function expectedCounts(s: Played): Map<EventType, [number, number]> {
  const counts = new Map<EventType, [number, number]>(
    EVENT_TYPES.filter((t) => t !== 'turn').map((t) => [t, [0, 0]]),
  );
  const sent = s.answered.length + s.failed.length;
  for (const [i, step] of s.steps.entries()) {
    const range: [number, number] = i < s.answered.length ? [1, 1] : i < sent ? [0, 1] : [0, 0];
    for (const type of step.produces) counts.set(type, range);
  }
  if (s.steps === BUY && sent === BUY.length) counts.set('payment_succeeded', [0, 1]);
  return counts;
}

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

  it('every event an answered request produced is stored exactly once; none of requests never sent', () => {
    const wrong: string[] = [];
    const checked = new Map<EventType, number>();
    for (const s of [...sessions, ...afterRestart]) {
      for (const [type, [min, max]] of expectedCounts(s)) {
        const n = eventsBySession.get(`${s.sessionId} ${type}`) ?? 0;
        if (n < min || n > max) wrong.push(`${s.sessionId} ${type}: ${n}, expected ${min}..${max}`);
        if (min === 1) checked.set(type, (checked.get(type) ?? 0) + 1);
      }
    }
    expect(wrong).toEqual([]);
    // The load reached the purchase: answered add-to-carts, checkouts and "yes"es were held to exactly once.
    for (const type of [
      'session_start',
      'session_end',
      'cart_add',
      'checkout_prompt',
      'order_confirmed',
    ] as const)
      expect(checked.get(type) ?? 0, type).toBeGreaterThan(0);
    console.log(
      `killed after ${killedAfter} answers; events held to exactly once:`,
      Object.fromEntries(checked),
    );
    expect([...turnsByRequest.values()].filter((n) => n !== 1)).toEqual([]);
    expect(doubledEventIds).toEqual([]);
  });

  it('the restarted server answers and exits cleanly on SIGTERM, flushing its log', () => {
    expect(afterRestart.every((s) => s.answered.length === BROWSE.length)).toBe(true);
    expect(cleanExit).toBe(0);
  });
});
