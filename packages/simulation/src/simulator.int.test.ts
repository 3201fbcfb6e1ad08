import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { EventWriter } from '@pitchline/analytics';
import {
  countEvents,
  countEventsByType,
  eventSpan,
  exposuresByVariant,
  localDays,
  openTestClickHouse,
  orderEvents,
  reasonCounts,
  sessionStartsByDevice,
  type TestClickHouse,
  turnSequences,
  turnsByIntent,
  visitsByUser,
} from '@pitchline/analytics/testing';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID, orders, seedDemo } from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { createSkillApp } from '@pitchline/skill';
import { newSimulatedWebhookSecret, SimulatedGateway } from '@pitchline/skill/payments';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EXPERIMENT, parseSimulatorConfig } from './config';
import { type HistoryResult, replayHistory } from './history';
import { runLive } from './live';

const USER_ID_HASH_KEY = 'simulator-test-user-id-hash-key-0123456789';
const NOW = Date.UTC(2026, 10, 27, 15, 0);

interface Stores {
  database: TestDatabase;
  ch: TestClickHouse;
  events: EventWriter;
  walDir: string;
}

async function openStores(): Promise<Stores> {
  const database = await openTestDatabase('pglite');
  const ch = await openTestClickHouse();
  const walDir = await mkdtemp(path.join(tmpdir(), 'simulator-wal-'));
  // fsync off: these tests count events, they do not test durability.
  const events = new EventWriter({ ch, walDir, fsync: false });
  await events.start();
  await seedDemo(database.db);
  return { database, ch, events, walDir };
}

async function closeStores(s: Stores | undefined): Promise<void> {
  if (!s) return;
  await s.events.close();
  await s.ch.dispose();
  await s.database.close();
  await rm(s.walDir, { recursive: true, force: true });
}

const historyConfig = (seed: string) =>
  parseSimulatorConfig({
    seed,
    shoppers: 20,
    days: 3,
    concurrency: 8,
    basePurchase: 0.35,
    experiment: DEMO_EXPERIMENT,
  });

describe('replayed history through the real skill', () => {
  let stores: Stores | undefined;
  let result: HistoryResult;

  beforeAll(async () => {
    stores = await openStores();
    result = await replayHistory(
      {
        db: stores.database.db,
        recordEvent: (e) => stores?.events.record(e) ?? Promise.resolve(),
        userIdHashKey: USER_ID_HASH_KEY,
      },
      historyConfig('history-test'),
      { skillId: DEMO_SKILL_ID, now: NOW },
    );
    await stores.events.flush();
  }, 120_000);

  afterAll(() => closeStores(stores));

  it('gets a 200 for every request and records one turn per request', async () => {
    const { stats } = result;
    expect(stats.problems).toEqual([]);
    expect(stats.requests).toBeGreaterThan(stats.sessions);
    expect(stats.byStatus).toEqual({ 200: stats.requests });
    const ch = stores?.ch as TestClickHouse;
    const counts = await countEventsByType(ch);
    const n = (type: string) => counts.find((c) => c.type === type)?.n ?? 0;
    expect(n('turn')).toBe(stats.requests);
    expect(n('session_start')).toBe(stats.sessions);
    expect(n('session_end')).toBe(stats.sessions);
    expect(n('request_rejected')).toBe(0);
    expect(n('order_confirmed')).toBe(stats.ordersPlaced);
    expect(n('order_declined')).toBe(stats.ordersDeclined);
  });

  it('records the variant each shopper heard, once per session', async () => {
    const rows = await exposuresByVariant(stores?.ch as TestClickHouse);
    const seen = Object.fromEntries(
      rows.map((r) => [r.variantKey, { sessions: r.sessions, shoppers: r.users }]),
    );
    const told = Object.fromEntries(
      Object.entries(result.stats.byVariant).map(([k, v]) => [
        k,
        { sessions: v.sessions, shoppers: v.shoppers },
      ]),
    );
    expect(seen).toEqual(told);
    expect(Object.keys(seen).sort()).toEqual(['b', 'c', 'control']);
  });

  it('stamps every event, payments included, inside the replayed days', async () => {
    const span = await eventSpan(stores?.ch as TestClickHouse);
    expect(Number(span.firstMs)).toBeGreaterThanOrEqual(result.window.start);
    expect(Number(span.lastMs)).toBeLessThan(result.window.end);
    const days = await localDays(stores?.ch as TestClickHouse, 'America/New_York');
    expect(days).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });

  it('pays orders through signed webhooks: paid orders match payment_succeeded, on the replayed days', async () => {
    const paid = (await stores?.database.db.select().from(orders))?.filter((o) => o.paidAt !== null) ?? [];
    const payments = await orderEvents(stores?.ch as TestClickHouse, { types: ['payment_succeeded'] });
    expect(result.stats.ordersCharged).toBeGreaterThan(0);
    expect(payments.length).toBe(paid.length);
    expect(paid.length).toBe(result.stats.ordersCharged);
    for (const order of paid) {
      const event = payments.find((p) => p.orderId === order.id);
      expect(event?.amount).toBe(order.amountTotal);
      expect(order.paidAt?.getTime()).toBe(Number(event?.tsMs));
      expect(Number(event?.tsMs)).toBeGreaterThanOrEqual(result.window.start);
      expect(Number(event?.tsMs)).toBeLessThan(result.window.end);
    }
  });

  it('replays the same history for the same config', async () => {
    const other = await openStores();
    try {
      const again = await replayHistory(
        {
          db: other.database.db,
          recordEvent: (e) => other.events.record(e),
          userIdHashKey: USER_ID_HASH_KEY,
        },
        historyConfig('history-test'),
        { skillId: DEMO_SKILL_ID, now: NOW },
      );
      expect(again.stats).toEqual(result.stats);
      await other.events.flush();
      const turns = await countEvents(other.ch);
      const first = await countEvents(stores?.ch as TestClickHouse);
      expect(turns).toEqual(first);
    } finally {
      await closeStores(other);
    }
  }, 120_000);
});

describe('live shoppers through a skill that checks real time', () => {
  let stores: Stores | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    stores = await openStores();
    dir = await mkdtemp(path.join(tmpdir(), 'simulator-devca-'));
  }, 60_000);

  afterAll(async () => {
    await closeStores(stores);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs with the development CA, gets 200s, and every turn lands in ClickHouse', async () => {
    const s = stores as Stores;
    const bundle = await loadOrCreateDevSigner(dir as string);
    const webhookSecret = newSimulatedWebhookSecret();
    let app: Hono | undefined;
    const gateway = new SimulatedGateway({
      webhookSecret,
      publicUrl: 'http://127.0.0.1:3000',
      deliver: async (body, signature) => {
        const res = await (app as Hono).request('/webhooks/stripe', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        });
        return { status: res.status };
      },
    });
    app = createSkillApp({
      db: s.database.db,
      recordEvent: (e) => s.events.record(e),
      userIdHashKey: USER_ID_HASH_KEY,
      verification: {
        enabled: true,
        trustedRootsPem: [bundle.ca.certPem],
        preloadedChainsDir: bundle.chainsDir,
      },
      payments: { gateway, webhookSecret },
    });
    const started = Date.now();
    const stats = await runLive(
      parseSimulatorConfig({ seed: 'live-test', shoppers: 12, basePurchase: 0.5 }),
      {
        post: (body, headers) =>
          Promise.resolve((app as Hono).request('/alexa', { method: 'POST', body, headers })),
        signer: bundle.signer,
        skillId: DEMO_SKILL_ID,
        accessToken: DEMO_ACCESS_TOKEN,
      },
    );
    await gateway.idle();
    await s.events.flush();
    expect(stats.problems).toEqual([]);
    expect(stats.byStatus).toEqual({ 200: stats.requests });
    const turns = await eventSpan(s.ch, { types: ['turn'] });
    expect(turns.events).toBe(stats.requests);
    expect(Number(turns.firstMs)).toBeGreaterThanOrEqual(started - 1000);
    const paid = (await s.database.db.select().from(orders)).filter((o) => o.status === 'paid');
    expect(paid.length).toBe(stats.ordersCharged);
  });

  it('is refused when the request is not signed by a trusted CA', async () => {
    const s = stores as Stores;
    const trusted = await loadOrCreateDevSigner(dir as string);
    const stranger = await loadOrCreateDevSigner(path.join(dir as string, 'other'));
    const app = createSkillApp({
      db: s.database.db,
      recordEvent: (e) => s.events.record(e),
      userIdHashKey: USER_ID_HASH_KEY,
      verification: {
        enabled: true,
        trustedRootsPem: [trusted.ca.certPem],
        preloadedChainsDir: stranger.chainsDir,
      },
    });
    const stats = await runLive(parseSimulatorConfig({ seed: 'stranger', shoppers: 2 }), {
      post: (body, headers) => Promise.resolve(app.request('/alexa', { method: 'POST', body, headers })),
      signer: stranger.signer,
      skillId: DEMO_SKILL_ID,
      accessToken: undefined,
    });
    expect(stats.byStatus[200]).toBeUndefined();
    expect(stats.requests).toBe(2);
  });
});

describe('shopper variety through the real skill', () => {
  let stores: Stores | undefined;
  let result: HistoryResult;
  /*
   * The default behaviour (no experiment: every shopper has the base rates), sized so each kind of
   * visit below is all but certain whatever the seed, not luck of this one: of ~115 sessions, 78 % do
   * what they came for (intents weighted browse 4, search 2, help, confused, hesitate, abandon 1 each),
   * so a help request is ~12 % of sessions, a fallback or a repeat ~8 %, a stop right after the pitch
   * ~8 %; the rarest (repeat) is missing from 115 sessions with probability 0.92^115 ≈ 1e-4. Over 7 days
   * with a 30 % return rate, ~13 shoppers come back inside the window.
   */
  const config = parseSimulatorConfig({ seed: 'variety-test', shoppers: 100, days: 7, concurrency: 8 });
  const TZ = 'America/New_York'; // the demo merchant's: the replay's days are its local days

  beforeAll(async () => {
    stores = await openStores();
    const s = stores;
    result = await replayHistory(
      { db: s.database.db, recordEvent: (e) => s.events.record(e), userIdHashKey: USER_ID_HASH_KEY },
      config,
      { skillId: DEMO_SKILL_ID, now: NOW },
    );
    await s.events.flush();
  }, 120_000);

  afterAll(() => closeStores(stores));

  it('answers every request', () => {
    expect(result.stats.problems).toEqual([]);
    expect(result.stats.byStatus).toEqual({ 200: result.stats.requests });
    expect(result.stats.sessions).toBeGreaterThan(config.shoppers);
  });

  it('asks for help, is misunderstood, asks to repeat, and falls silent', async () => {
    const ch = stores?.ch as TestClickHouse;
    const turns = await turnsByIntent(ch);
    const seen = Object.fromEntries(turns.map((t) => [t.intent, t.n]));
    for (const what of [
      'LaunchRequest',
      'AMAZON.HelpIntent',
      'AMAZON.FallbackIntent',
      'AMAZON.RepeatIntent',
      'SessionEndedRequest',
    ]) {
      expect(seen[what], what).toBeGreaterThan(0);
    }
    // Silence after the reprompt: Alexa ends the session and says why; the skill records the reason.
    const ends = await reasonCounts(ch, 'session_end');
    expect(ends.find((e) => e.reason === 'exceeded_max_reprompts')?.n).toBeGreaterThan(0);
  });

  it('has shoppers who stop right after the pitch: launch, then stop or cancel, and nothing else', async () => {
    const sessions = await turnSequences(stores?.ch as TestClickHouse);
    expect(sessions.length).toBe(result.stats.sessions);
    const stoppedAtOnce = sessions.filter(
      (s) =>
        s.intents.length === 2 &&
        s.intents[0] === 'LaunchRequest' &&
        ['AMAZON.StopIntent', 'AMAZON.CancelIntent'].includes(s.intents[1] as string),
    );
    expect(stoppedAtOnce.length).toBeGreaterThan(0);
  });

  it('comes from devices with and without a screen, in more than one locale', async () => {
    const starts = await sessionStartsByDevice(stores?.ch as TestClickHouse);
    expect(new Set(starts.map((s) => s.hasScreen))).toEqual(new Set([true, false]));
    expect(new Set(starts.map((s) => s.locale)).size).toBeGreaterThan(1);
  });

  it('brings shoppers back on another local day, never twice on one', async () => {
    const users = await visitsByUser(stores?.ch as TestClickHouse, TZ);
    const returning = users.filter((u) => u.sessions > 1);
    expect(returning.length).toBeGreaterThan(0);
    // Each visit of a shopper is on a local date of its own (a return is 1–7 days later, counted in
    // the merchant's midnights, not 24-hour steps), so a return never lands on the same local day.
    for (const u of returning) expect(u.days).toBe(u.sessions);
  });
});
