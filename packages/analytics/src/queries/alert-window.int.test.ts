import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryAlertWindow } from './alert-window.query';
import { insertGenerated } from './testing/insert';

const MERCHANT = '0195a3c4-2222-7000-8000-000000000001';
const OTHER_MERCHANT = '0195a3c4-2222-7000-8000-000000000002';
const T0 = Date.parse('2026-04-01T12:00:00Z');
const MINUTE = 60_000;

let ch: TestClickHouse;
let n = 0;

function base(merchantId: string, sessionId: string, ts: number) {
  n++;
  return {
    event_id: `0195a3c4-2222-7000-8000-${String(n).padStart(12, '0')}`,
    ts,
    merchant_id: merchantId,
    skill_id: 'amzn1.ask.skill.demo',
    user_id: `user-${sessionId}`,
    session_id: sessionId,
    locale: 'en-US',
    has_screen: false,
  };
}
const start = (m: string, s: string, ts: number): PitchlineEvent => ({
  ...base(m, s, ts),
  type: 'session_start',
  new_user: true,
});
const turn = (m: string, s: string, ts: number, intent: string, latency: number): PitchlineEvent => ({
  ...base(m, s, ts),
  type: 'turn',
  request_id: `amzn1.echo-api.request.${n}`,
  request_type: 'IntentRequest',
  intent,
  slots: [],
  response_ssml: '<speak>Hello</speak>',
  should_end_session: false,
  latency_ms: latency,
});
const paid = (m: string, s: string, ts: number): PitchlineEvent => {
  const { locale: _locale, has_screen: _screen, ...common } = base(m, s, ts);
  return {
    ...common,
    type: 'payment_succeeded',
    order_id: '0195a3c4-2222-7000-8000-0000000000aa',
    amount: 1000,
    currency: 'USD',
    variants: [],
  };
};

beforeAll(async () => {
  ch = await openTestClickHouse();
  const events: PitchlineEvent[] = [];
  // In the window [T0, T0 + 60 min): 2 sessions, 10 turns of which 3 fallbacks, latencies 100..1000 ms.
  events.push(start(MERCHANT, 's1', T0 + MINUTE), start(MERCHANT, 's2', T0 + 2 * MINUTE));
  for (let i = 0; i < 10; i++) {
    const intent = i < 3 ? 'AMAZON.FallbackIntent' : 'BuyIntent';
    events.push(turn(MERCHANT, i % 2 ? 's1' : 's2', T0 + (3 + i) * MINUTE, intent, (i + 1) * 100));
  }
  events.push(paid(MERCHANT, 's1', T0 + 30 * MINUTE));
  // Before the window and another merchant's: not counted.
  events.push(turn(MERCHANT, 's0', T0 - MINUTE, 'AMAZON.FallbackIntent', 9000));
  events.push(start(OTHER_MERCHANT, 'o1', T0 + MINUTE));
  events.push(turn(OTHER_MERCHANT, 'o1', T0 + MINUTE, 'AMAZON.FallbackIntent', 9000));
  await insertGenerated(ch, events);
});
afterAll(async () => {
  await ch?.dispose();
});

describe('queryAlertWindow', () => {
  it("computes the catalogue figures over the window's turns and sessions, for the merchant asked", async () => {
    const figures = await queryAlertWindow(ch, { merchantId: MERCHANT, fromMs: T0, toMs: T0 + 60 * MINUTE });
    expect(figures).toMatchObject({ turns: 10, fallbackTurns: 3, sessions: 2, paidSessions: 1 });
    expect(figures.fallbackRate).toBeCloseTo(0.3);
    expect(figures.paidConversion).toBeCloseTo(0.5);
    // Exact 90th percentile of 100..1000 ms (ClickHouse quantileExact picks the element at floor(0.9·n)).
    expect(figures.latencyP90).toBe(1000);
  });

  it('answers null (no data) for a window without turns or sessions', async () => {
    const figures = await queryAlertWindow(ch, {
      merchantId: MERCHANT,
      fromMs: T0 + 120 * MINUTE,
      toMs: T0 + 180 * MINUTE,
    });
    expect(figures).toMatchObject({ turns: 0, fallbackRate: null, latencyP90: null, paidConversion: null });
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(queryAlertWindow(ch, { merchantId: MERCHANT, fromMs: T0, toMs: T0 })).rejects.toThrow();
  });
});
