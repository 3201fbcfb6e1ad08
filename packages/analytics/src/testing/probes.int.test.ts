import { randomUUID } from 'node:crypto';
import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../migrate';
import { MIGRATIONS } from '../migrations/index';
import { insertGenerated } from '../queries/testing/insert';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { forgetMigration } from './forget-migration';
import {
  countEvents,
  countEventsBySession,
  countEventsByType,
  duplicateEventIds,
  eventSpan,
  exposuresByVariant,
  localDays,
  orderEvents,
  reasonCounts,
  sessionStartsByDevice,
  turnSequences,
  turnsByIntent,
  turnsPerRequest,
  visitsByUser,
} from './probes/index';

/*
 * A handful of events whose every answer is known: two merchants, three sessions, one shopper returning
 * the next local day, a turn stored twice under one request id, an event id stored twice, an order paid
 * and partly refunded. Times straddle midnight so New York's days differ from UTC's.
 */
const M1 = '11111111-1111-4111-8111-111111111111';
const M2 = '22222222-2222-4222-8222-222222222222';
const O1 = '0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';
const O2 = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
/** 2026-11-02 03:30 UTC: 22:30 on Nov 1 in New York (EST since that morning). */
const T1 = Date.UTC(2026, 10, 2, 3, 30);
/** A day later: 22:30 on Nov 2 in New York, Nov 3 in UTC. */
const T2 = T1 + 86_400_000;
/** 06:30 UTC on Nov 2: 01:30 on Nov 2 in New York. */
const T3 = T1 + 3 * 3_600_000;

const base = (merchant: string, user: string, session: string, ts: number) => ({
  event_id: randomUUID(),
  ts,
  merchant_id: merchant,
  skill_id: 'amzn1.ask.skill.probes',
  user_id: user,
  session_id: session,
});
const start = (b: ReturnType<typeof base>, locale: string, screen: boolean): PitchlineEvent => ({
  ...b,
  type: 'session_start',
  locale,
  has_screen: screen,
  new_user: false,
});
const turn = (b: ReturnType<typeof base>, requestId: string, intent?: string): PitchlineEvent => ({
  ...b,
  type: 'turn',
  locale: 'en-US',
  has_screen: false,
  request_id: requestId,
  request_type: intent ? 'IntentRequest' : 'LaunchRequest',
  ...(intent ? { intent } : {}),
  slots: [],
  response_ssml: '<speak>hi</speak>',
  should_end_session: false,
  latency_ms: 5,
});
const exposure = (b: ReturnType<typeof base>, variant: string): PitchlineEvent => ({
  ...b,
  type: 'pitch_exposure',
  experiment_id: '33333333-3333-4333-8333-333333333333',
  experiment_key: 'pitch',
  variant_key: variant,
  assignment_probability: 0.5,
});
const money = (
  b: ReturnType<typeof base>,
  type: 'order_confirmed' | 'payment_succeeded' | 'payment_failed' | 'refund',
  order: string,
  amount: number,
): PitchlineEvent => ({ ...b, type, order_id: order, amount, currency: 'USD', variants: [] });
const end = (b: ReturnType<typeof base>, reason: 'user_stop' | 'exceeded_max_reprompts'): PitchlineEvent => ({
  ...b,
  type: 'session_end',
  reason,
});

const s1 = (ts: number) => base(M1, 'u1', 's1', ts);
const s2 = (ts: number) => base(M1, 'u1', 's2', ts);
const s3 = (ts: number) => base(M2, 'u2', 's3', ts);
const doubledEnd = end(s2(T2 + 9000), 'exceeded_max_reprompts');
const EVENTS: PitchlineEvent[] = [
  start(s1(T1), 'en-US', true),
  turn(s1(T1 + 1000), 'r1'),
  exposure(s1(T1 + 1500), 'b'),
  turn(s1(T1 + 2000), 'r2', 'AddToCartIntent'),
  turn(s1(T1 + 3000), 'r3', 'AMAZON.StopIntent'),
  money(s1(T1 + 3100), 'order_confirmed', O1, 1500),
  money(s1(T1 + 3200), 'payment_succeeded', O1, 1500),
  money(s1(T1 + 3300), 'refund', O1, 500),
  end(s1(T1 + 4000), 'user_stop'),
  start(s2(T2), 'en-GB', false),
  turn(s2(T2 + 1000), 'r4'),
  turn(s2(T2 + 2000), 'r4'),
  exposure(s2(T2 + 2500), 'b'),
  doubledEnd,
  doubledEnd,
  start(s3(T3), 'en-US', true),
  turn(s3(T3 + 1000), 'r5'),
  exposure(s3(T3 + 1500), 'control'),
  money(s3(T3 + 2000), 'payment_failed', O2, 900),
  { ...s3(T3 + 2500), type: 'request_rejected', reason: 'stale_timestamp' },
];

let ch: TestClickHouse;

beforeAll(async () => {
  ch = await openTestClickHouse();
  // Stored out of order: the probes' ordering is their own, not the insert's.
  await insertGenerated(ch, [...EVENTS].reverse());
}, 60_000);

afterAll(() => ch?.dispose());

describe('event counts', () => {
  it('counts all events, or a merchant’s, a session’s, some types’', async () => {
    expect(await countEvents(ch)).toBe(EVENTS.length);
    expect(await countEvents(ch, { merchantId: M2 })).toBe(5);
    expect(await countEvents(ch, { types: ['turn', 'session_start'] })).toBe(9);
    expect(await countEvents(ch, { merchantId: M2, sessionId: 's1' })).toBe(0);
  });

  it('counts per type, by type name', async () => {
    expect(await countEventsByType(ch, { sessionId: 's1' })).toEqual([
      { type: 'order_confirmed', n: 1 },
      { type: 'payment_succeeded', n: 1 },
      { type: 'pitch_exposure', n: 1 },
      { type: 'refund', n: 1 },
      { type: 'session_end', n: 1 },
      { type: 'session_start', n: 1 },
      { type: 'turn', n: 3 },
    ]);
    expect(await countEventsByType(ch, { merchantId: M2, types: ['turn', 'refund'] })).toEqual([
      { type: 'turn', n: 1 },
    ]);
  });

  it('counts per session and type', async () => {
    expect(
      await countEventsBySession(ch, { merchantId: M1, types: ['session_start', 'session_end'] }),
    ).toEqual([
      { sessionId: 's1', type: 'session_end', n: 1 },
      { sessionId: 's1', type: 'session_start', n: 1 },
      { sessionId: 's2', type: 'session_end', n: 2 },
      { sessionId: 's2', type: 'session_start', n: 1 },
    ]);
  });
});

describe('exactly-once checks', () => {
  it('finds the event id stored twice', async () => {
    expect(await duplicateEventIds(ch)).toEqual([doubledEnd.event_id]);
    expect(await duplicateEventIds(ch, { merchantId: M2 })).toEqual([]);
  });

  it('counts turns per request id', async () => {
    expect(await turnsPerRequest(ch)).toEqual([
      { requestId: 'r1', n: 1 },
      { requestId: 'r2', n: 1 },
      { requestId: 'r3', n: 1 },
      { requestId: 'r4', n: 2 },
      { requestId: 'r5', n: 1 },
    ]);
    expect(await turnsPerRequest(ch, { merchantId: M2 })).toEqual([{ requestId: 'r5', n: 1 }]);
  });
});

describe('money', () => {
  it('lists every order event with its amount and time, in time order', async () => {
    expect(await orderEvents(ch)).toEqual([
      { orderId: O1, type: 'order_confirmed', amount: 1500, currency: 'USD', tsMs: T1 + 3100 },
      { orderId: O1, type: 'payment_succeeded', amount: 1500, currency: 'USD', tsMs: T1 + 3200 },
      { orderId: O1, type: 'refund', amount: 500, currency: 'USD', tsMs: T1 + 3300 },
      { orderId: O2, type: 'payment_failed', amount: 900, currency: 'USD', tsMs: T3 + 2000 },
    ]);
    expect(await orderEvents(ch, { types: ['payment_succeeded', 'payment_failed'], merchantId: M2 })).toEqual(
      [{ orderId: O2, type: 'payment_failed', amount: 900, currency: 'USD', tsMs: T3 + 2000 }],
    );
  });
});

describe('why sessions end and requests are refused', () => {
  it('counts per reason', async () => {
    expect(await reasonCounts(ch, 'session_end')).toEqual([
      { reason: 'exceeded_max_reprompts', n: 2 },
      { reason: 'user_stop', n: 1 },
    ]);
    expect(await reasonCounts(ch, 'request_rejected')).toEqual([{ reason: 'stale_timestamp', n: 1 }]);
    expect(await reasonCounts(ch, 'request_rejected', { merchantId: M1 })).toEqual([]);
  });
});

describe('time', () => {
  it('lists the distinct local days of a time zone', async () => {
    expect(await localDays(ch, 'America/New_York')).toEqual(['2026-11-01', '2026-11-02']);
    expect(await localDays(ch, 'UTC')).toEqual(['2026-11-02', '2026-11-03']);
    expect(await localDays(ch, 'America/New_York', { merchantId: M2 })).toEqual(['2026-11-02']);
  });

  it('spans the first and last event', async () => {
    expect(await eventSpan(ch)).toEqual({ events: EVENTS.length, firstMs: T1, lastMs: T2 + 9000 });
    expect(await eventSpan(ch, { types: ['turn'], merchantId: M1 })).toEqual({
      events: 5,
      firstMs: T1 + 1000,
      lastMs: T2 + 2000,
    });
    expect(await eventSpan(ch, { sessionId: 'none' })).toEqual({ events: 0, firstMs: null, lastMs: null });
  });
});

describe('shoppers and dialogs', () => {
  it('counts the sessions and shoppers that heard each variant', async () => {
    expect(await exposuresByVariant(ch)).toEqual([
      { variantKey: 'b', sessions: 2, users: 1 },
      { variantKey: 'control', sessions: 1, users: 1 },
    ]);
  });

  it('counts turns per intent, a request type standing in for a missing intent', async () => {
    expect(await turnsByIntent(ch)).toEqual([
      { intent: 'AMAZON.StopIntent', n: 1 },
      { intent: 'AddToCartIntent', n: 1 },
      { intent: 'LaunchRequest', n: 4 },
    ]);
  });

  it('lists each session’s intents in time order', async () => {
    expect(await turnSequences(ch, { merchantId: M1 })).toEqual([
      { sessionId: 's1', intents: ['LaunchRequest', 'AddToCartIntent', 'AMAZON.StopIntent'] },
      { sessionId: 's2', intents: ['LaunchRequest', 'LaunchRequest'] },
    ]);
  });

  it('counts session starts per locale and screen', async () => {
    expect(await sessionStartsByDevice(ch)).toEqual([
      { locale: 'en-GB', hasScreen: false, sessions: 1 },
      { locale: 'en-US', hasScreen: true, sessions: 2 },
    ]);
  });

  it('counts each shopper’s sessions and local days', async () => {
    expect(await visitsByUser(ch, 'America/New_York')).toEqual([
      { userId: 'u1', sessions: 2, days: 2 },
      { userId: 'u2', sessions: 1, days: 1 },
    ]);
  });
});

describe('forgetMigration', () => {
  it('makes the next migration run apply that migration again', async () => {
    const other = await openTestClickHouse();
    try {
      const last = MIGRATIONS.at(-1) as (typeof MIGRATIONS)[number];
      expect(await migrateClickHouse(other)).toEqual([]);
      await forgetMigration(other, last.version);
      expect((await migrateClickHouse(other)).map((m) => m.version)).toEqual([last.version]);
    } finally {
      await other.dispose();
    }
  });
});
