import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, InvalidEventError, parseEvent } from './events';
import { hashUserId, isUuidV7, newEventId } from './ids';
import { formatMoney, minorUnitDigits } from './money';

const base = () => ({
  event_id: newEventId(),
  ts: Date.UTC(2026, 10, 1),
  merchant_id: newEventId(),
  skill_id: 'amzn1.ask.skill.test',
  user_id: 'u1',
  session_id: 's1',
});

describe('event contract', () => {
  it('accepts every documented type', () => {
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'session_start',
        'turn',
        'pitch_exposure',
        'payment_succeeded',
        'request_rejected',
      ]),
    );
    const e = parseEvent({ ...base(), type: 'session_end', reason: 'user_stop' });
    expect(e.type).toBe('session_end');
  });

  it('a payment_mismatch carries what was received and what the order expected', () => {
    const mismatch = {
      ...base(),
      type: 'payment_mismatch',
      order_id: newEventId(),
      amount: 1,
      currency: 'USD',
      expected_amount: 1850,
      expected_currency: 'USD',
      variants: [],
    };
    expect(parseEvent(mismatch)).toMatchObject({
      type: 'payment_mismatch',
      amount: 1,
      expected_amount: 1850,
    });
    expect(() => parseEvent({ ...mismatch, expected_amount: undefined })).toThrowError(/expected_amount/);
    expect(() => parseEvent({ ...mismatch, expected_currency: 'usd' })).toThrowError(/expected_currency/);
  });

  it('rejects a float amount, a lower-case currency and an unknown type with the field named', () => {
    const order = {
      ...base(),
      type: 'order_confirmed',
      order_id: newEventId(),
      currency: 'USD',
      variants: [],
    };
    expect(() => parseEvent({ ...order, amount: 19.99 })).toThrowError(/amount/);
    expect(() => parseEvent({ ...order, amount: 1999, currency: 'usd' })).toThrowError(/currency/);
    expect(() => parseEvent({ ...base(), type: 'nope' })).toThrowError(InvalidEventError);
  });

  it('strips nothing it should keep and keeps unknown keys out', () => {
    const e = parseEvent({ ...base(), type: 'request_rejected', reason: 'bad_signature', evil: 'x' });
    expect(e).not.toHaveProperty('evil');
    expect(e).toMatchObject({ reason: 'bad_signature' });
  });
});

describe('ids and money', () => {
  it('makes time-ordered v7 ids', () => {
    const a = newEventId();
    const b = newEventId();
    expect(isUuidV7(a)).toBe(true);
    expect(a < b).toBe(true);
  });

  it('hashes user ids stably per key', () => {
    expect(hashUserId('amzn1.ask.account.X', 'k1')).toBe(hashUserId('amzn1.ask.account.X', 'k1'));
    expect(hashUserId('amzn1.ask.account.X', 'k1')).not.toBe(hashUserId('amzn1.ask.account.X', 'k2'));
  });

  it('formats minor units per currency', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(formatMoney({ amount: 1999, currency: 'USD' }, 'en-US')).toBe('$19.99');
    expect(formatMoney({ amount: 500, currency: 'JPY' }, 'en-US')).toBe('¥500');
  });
});
