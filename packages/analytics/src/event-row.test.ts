import { EVENT_TYPES, parseEvent } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { MERCHANT, makeEvent } from '../test/fixtures';
import { EVENT_COLUMNS, toEventRow } from './event-row';

describe('toEventRow', () => {
  it('flattens slots into parallel Nested arrays, defaulting missing resolutions to empty strings', () => {
    const turn = parseEvent({
      ...makeEvent(0),
      slots: [
        {
          name: 'product',
          value: 'coffee',
          resolved_id: 'p1',
          resolved_value: 'Coffee',
          resolution: 'match',
        },
        { name: 'size', value: 'huge', resolution: 'no_match' },
      ],
    });
    const row = toEventRow(turn);
    expect(row['slots.name']).toEqual(['product', 'size']);
    expect(row['slots.resolved_id']).toEqual(['p1', '']);
    expect(row['slots.resolution']).toEqual(['match', 'no_match']);
    expect(row.response_ssml).toContain('<speak>');
    expect(row.amount).toBeUndefined();
  });

  it('keeps money as integer minor units and attribution as an array', () => {
    const row = toEventRow(
      parseEvent({
        ...makeEvent(0),
        type: 'payment_failed',
        order_id: '0195a3c4-4444-7000-8000-000000000004',
        amount: 2998,
        currency: 'EUR',
        variants: ['welcome-pitch:scarcity'],
        failure_code: 'card_declined',
      }),
    );
    expect(row).toMatchObject({
      type: 'payment_failed',
      amount: 2998,
      currency: 'EUR',
      variants: ['welcome-pitch:scarcity'],
      failure_code: 'card_declined',
      merchant_id: MERCHANT,
    });
    expect(row.payment_intent_id).toBeUndefined();
  });

  it('stores a payment_mismatch as the money received, with which part differed and what was owed', () => {
    const row = toEventRow(
      parseEvent({
        ...makeEvent(0),
        type: 'payment_mismatch',
        order_id: '0195a3c4-4444-7000-8000-000000000004',
        amount: 1,
        currency: 'USD',
        expected_amount: 1850,
        expected_currency: 'USD',
        variants: [],
      }),
    );
    expect(row).toMatchObject({ type: 'payment_mismatch', amount: 1, currency: 'USD', reason: 'amount' });
    expect(row.detail).toBe('expected 1850 USD');
    const known = new Set<string>(EVENT_COLUMNS);
    for (const key of Object.keys(row)) expect(known).toContain(key);
  });

  it('only ever emits known columns', () => {
    const known = new Set<string>(EVENT_COLUMNS);
    for (let i = 0; i < 8; i++) {
      for (const key of Object.keys(toEventRow(parseEvent(makeEvent(i))))) expect(known).toContain(key);
    }
    expect(EVENT_TYPES.length).toBeGreaterThan(10);
  });
});
