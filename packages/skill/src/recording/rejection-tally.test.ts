import { type PitchlineEvent, parseEvent, UNKNOWN_MERCHANT_ID } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { RejectionTally } from './rejection-tally';

const MERCHANT = '0195a3c4-1111-7000-8000-000000000001';
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');

function tallyAt(start: number) {
  const clock = { now: start };
  const rows: PitchlineEvent[] = [];
  const counted = new Map<string, number>();
  const tally = new RejectionTally({
    onCount: (merchantId, reason) =>
      counted.set(`${merchantId} ${reason}`, (counted.get(`${merchantId} ${reason}`) ?? 0) + 1),
    record: (event) => {
      rows.push(parseEvent(event));
    },
    clock: () => clock.now,
    flushEveryMs: 0,
  });
  return { clock, rows, tally, counted };
}

describe('RejectionTally', () => {
  it('turns 3,000 rejections over three minutes into one row per merchant, reason and minute', async () => {
    const { clock, rows, tally, counted } = tallyAt(T0);
    for (let minute = 0; minute < 3; minute++) {
      for (let i = 0; i < 1000; i++) {
        clock.now = T0 + minute * MINUTE + (i % 59) * 1000;
        tally.count({
          merchantId: i % 2 === 0 ? MERCHANT : undefined,
          skillId: `amzn1.ask.skill.attacker-${i}`,
          reason: i % 4 < 2 ? 'missing_headers' : 'bad_signature',
          detail: `request ${i}`,
        });
      }
    }
    await tally.flush();
    // 3 minutes × 2 merchants (ours and "unknown") × 2 reasons.
    expect(rows).toHaveLength(12);
    expect(rows.reduce((n, r) => n + (r.type === 'request_rejected' ? (r.count ?? 1) : 0), 0)).toBe(3000);
    for (const row of rows) {
      expect(row.type).toBe('request_rejected');
      expect(row.ts % MINUTE).toBe(0);
    }
    // An unknown merchant's attacker-chosen skill ids are not kept: nothing of theirs grows a key.
    const unknown = rows.filter((r) => r.merchant_id === UNKNOWN_MERCHANT_ID);
    expect(new Set(unknown.map((r) => r.skill_id))).toEqual(new Set(['unknown']));
    // Every rejection reaches the counter as it happens, per merchant and reason.
    expect(counted.get(`${MERCHANT} missing_headers`)).toBe(750);
    expect(counted.get(`${UNKNOWN_MERCHANT_ID} bad_signature`)).toBe(750);
  });

  it('writes a minute once it is over, and nothing twice', async () => {
    const { clock, rows, tally } = tallyAt(T0);
    tally.count({ merchantId: MERCHANT, skillId: 's', reason: 'missing_headers', detail: '' });
    await tally.flushCompleted();
    expect(rows).toHaveLength(0);
    clock.now = T0 + MINUTE;
    await tally.flushCompleted();
    expect(rows).toHaveLength(1);
    await tally.flush();
    expect(rows).toHaveLength(1);
  });
});
