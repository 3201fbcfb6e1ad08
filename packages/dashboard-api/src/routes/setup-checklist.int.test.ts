import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId, newId } from '@pitchline/core';
import { DEMO_SKILL_ID, orders } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../testing/fixtures';
import { A_ANALYST, B_OWNER, type Client, expectStatus, type Harness, openHarness } from '../testing/harness';

/*
 * The setup checklist reads what happened, per merchant: the demo merchant has a skill and a linked
 * shopper from its seed; a verified turn in ClickHouse and a paid order in Postgres tick the other two.
 * Another merchant, with nothing, sees every step undone, with what to do next.
 */

let ch: TestClickHouse;
let h: Harness;
let analystA: Client;
let ownerB: Client;

beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

async function checklist(client: Client) {
  const res = await client.api['setup-checklist'].$get();
  expectStatus(res, 200);
  return res.json();
}

const state = (body: Awaited<ReturnType<typeof checklist>>) =>
  Object.fromEntries(body.steps.map((s) => [s.id, s.done]));

describe('GET /api/setup-checklist', () => {
  it('ticks each step from what happened, for the caller’s merchant only', async () => {
    const before = await checklist(analystA);
    expect(state(before)).toEqual({
      skill_bound: true,
      first_request: false,
      account_linked: true,
      order_paid: false,
    });
    expect(before.ready).toBe(false);
    expect(before.steps.find((s) => s.id === 'first_request')?.detail).toMatch(/Alexa, open/);

    const at = Date.parse('2026-11-02T08:00:00Z');
    await insertEvents(ch, [
      {
        event_id: newEventId(),
        ts: at,
        merchant_id: h.merchantA,
        skill_id: DEMO_SKILL_ID,
        user_id: 'u-1',
        session_id: 's-1',
        type: 'turn',
        locale: 'en-US',
        has_screen: false,
        request_id: 'r-1',
        request_type: 'LaunchRequest',
        slots: [],
        response_ssml: '<speak>Welcome</speak>',
        should_end_session: false,
        latency_ms: 12,
      },
    ]);
    await h.database.db.insert(orders).values({
      merchantId: h.merchantA,
      skillId: DEMO_SKILL_ID,
      userId: 'u-1',
      sessionId: `s-${newId()}`,
      status: 'paid',
      amountTotal: 1_850,
      currency: 'USD',
      paidAt: new Date(at + 60_000),
    });

    const after = await checklist(analystA);
    expect(state(after)).toEqual({
      skill_bound: true,
      first_request: true,
      account_linked: true,
      order_paid: true,
    });
    expect(after.ready).toBe(true);
    const first = after.steps.find((s) => s.id === 'first_request');
    expect(first?.at).toBe(new Date(at).toISOString());
    expect(first?.detail).toBe('First answered through Northwind Coffee.');

    // B sees none of A's: nothing bound, nothing answered, nobody linked, nothing paid.
    const other = await checklist(ownerB);
    expect(state(other)).toEqual({
      skill_bound: false,
      first_request: false,
      account_linked: false,
      order_paid: false,
    });
    expect(other.steps.every((s) => s.detail.length > 20)).toBe(true);
  });

  it('refuses the anonymous', async () => {
    expectStatus(await h.anonymous().api['setup-checklist'].$get(), 401);
  });
});
