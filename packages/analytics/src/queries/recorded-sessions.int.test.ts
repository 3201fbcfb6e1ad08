import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryRecordedSessions } from './recorded-sessions.query';
import { insertGenerated } from './testing/insert';

const MERCHANT = '0195a3c4-1111-7000-8000-000000000001';
const OTHER_MERCHANT = '0195a3c4-1111-7000-8000-000000000002';
const T0 = Date.parse('2026-04-01T12:00:00Z');

let ch: TestClickHouse;
let n = 0;

function event(merchantId: string, sessionId: string, type: 'session_start' | 'turn'): PitchlineEvent {
  n++;
  const base = {
    event_id: `0195a3c4-0000-7000-8000-${String(n).padStart(12, '0')}`,
    ts: T0 + n * 1000,
    merchant_id: merchantId,
    skill_id: 'amzn1.ask.skill.demo',
    user_id: `user-${sessionId}`,
    session_id: sessionId,
    locale: 'en-US',
    has_screen: false,
  };
  return type === 'session_start'
    ? { ...base, type, new_user: true }
    : {
        ...base,
        type,
        request_id: `amzn1.echo-api.request.${n}`,
        request_type: 'IntentRequest',
        slots: [],
        response_ssml: '<speak>Hello</speak>',
        should_end_session: false,
        latency_ms: 12,
      };
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  await insertGenerated(ch, [
    event(MERCHANT, 'played-1', 'session_start'),
    event(MERCHANT, 'played-1', 'turn'),
    event(MERCHANT, 'played-2', 'session_start'),
    // A session whose start was never recorded does not count as played.
    event(MERCHANT, 'turn-only', 'turn'),
    // Another merchant's session of the same id is not this merchant's.
    event(OTHER_MERCHANT, 'theirs', 'session_start'),
    event(OTHER_MERCHANT, 'played-2', 'session_start'),
  ]);
});
afterAll(async () => {
  await ch?.dispose();
});

describe('queryRecordedSessions', () => {
  it('returns the asked sessions the merchant has a session_start for, and only those', async () => {
    const recorded = await queryRecordedSessions(ch, {
      merchantId: MERCHANT,
      sessionIds: ['played-1', 'played-2', 'turn-only', 'theirs', 'never-played', 'played-1'],
    });
    expect([...recorded].sort()).toEqual(['played-1', 'played-2']);
  });

  it('scopes to the merchant asked for', async () => {
    const recorded = await queryRecordedSessions(ch, {
      merchantId: OTHER_MERCHANT,
      sessionIds: ['played-1', 'played-2', 'theirs'],
    });
    expect([...recorded].sort()).toEqual(['played-2', 'theirs']);
  });

  it('answers an empty list with an empty set, and refuses malformed input', async () => {
    expect(await queryRecordedSessions(ch, { merchantId: MERCHANT, sessionIds: [] })).toEqual(new Set());
    await expect(
      queryRecordedSessions(ch, { merchantId: 'not-a-uuid', sessionIds: ['played-1'] }),
    ).rejects.toThrow(/merchantId/);
    await expect(queryRecordedSessions(ch, { merchantId: MERCHANT, sessionIds: [''] })).rejects.toThrow();
  });

  it('treats ids as data, never as SQL', async () => {
    const hostile = ["played-1') OR 1=1 --", "x' OR type != 'session_start"];
    expect(await queryRecordedSessions(ch, { merchantId: MERCHANT, sessionIds: hostile })).toEqual(new Set());
  });
});
