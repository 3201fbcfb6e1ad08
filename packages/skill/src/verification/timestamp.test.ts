import { describe, expect, it } from 'vitest';
import { checkTimestamp } from './timestamp';

const now = Date.parse('2026-06-01T12:00:00Z');
const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

describe('checkTimestamp', () => {
  it.each([0, 149_000, -149_000, 150_000, -150_000])('accepts a request %i ms old', (age) => {
    expect(checkTimestamp(at(-age), 'IntentRequest', now)).toEqual({ ok: true });
  });

  it('rejects 151 s in the past as stale and 151 s ahead as future', () => {
    expect(checkTimestamp(at(-151_000), 'IntentRequest', now)).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(checkTimestamp(at(151_000), 'IntentRequest', now)).toMatchObject({
      ok: false,
      reason: 'future_timestamp',
    });
  });

  it('gives AlexaSkillEvent.* requests an hour either way', () => {
    const type = 'AlexaSkillEvent.SkillEnabled';
    expect(checkTimestamp(at(-3_599_000), type, now)).toEqual({ ok: true });
    expect(checkTimestamp(at(3_599_000), type, now)).toEqual({ ok: true });
    expect(checkTimestamp(at(-3_601_000), type, now)).toMatchObject({ reason: 'stale_timestamp' });
    expect(checkTimestamp(at(3_601_000), type, now)).toMatchObject({ reason: 'future_timestamp' });
    // The hour is for skill events only, not anything that merely contains the word.
    expect(checkTimestamp(at(-600_000), 'IntentRequest.AlexaSkillEvent', now)).toMatchObject({
      reason: 'stale_timestamp',
    });
  });

  it('reads zones and refuses timestamps without one', () => {
    expect(checkTimestamp('2026-06-01T13:00:00+01:00', 'LaunchRequest', now)).toEqual({ ok: true });
    expect(checkTimestamp('2026-06-01T12:00:00', 'LaunchRequest', now)).toMatchObject({
      reason: 'invalid_envelope',
    });
    expect(checkTimestamp('yesterday', 'LaunchRequest', now)).toMatchObject({ reason: 'invalid_envelope' });
  });
});
