import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId, newId, type PitchlineEvent } from '@pitchline/core';
import { DEMO_SKILL_ID, orders, skills } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../testing/fixtures';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  openHarness,
} from '../testing/harness';

/*
 * The analytics routes over real chDB: the caller's merchant scopes every answer (B's payments never
 * show in A's revenue), parameters are validated (400 with issues), and readers may query.
 */

let ch: TestClickHouse;
let h: Harness;
let ownerA: Client;
let analystA: Client;
let ownerB: Client;
const DAY = Date.parse('2026-11-01T15:00:00Z');
const B_SKILL = 'amzn1.ask.skill.00000000-0000-4000-8000-0000000000b2';

function purchase(merchantId: string, session: string, amount: number): PitchlineEvent[] {
  const base = { merchant_id: merchantId, skill_id: 'skill', user_id: `${session}-u`, session_id: session };
  const orderId = newEventId();
  return [
    {
      ...base,
      event_id: newEventId(),
      ts: DAY,
      type: 'session_start',
      locale: 'en-US',
      has_screen: false,
      new_user: true,
    },
    {
      ...base,
      event_id: newEventId(),
      ts: DAY + 1_000,
      type: 'order_confirmed',
      order_id: orderId,
      amount,
      currency: 'USD',
      variants: [],
    },
    {
      ...base,
      event_id: newEventId(),
      ts: DAY + 2_000,
      type: 'payment_succeeded',
      order_id: orderId,
      amount,
      currency: 'USD',
      variants: [],
    },
  ];
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  ownerA = await h.login(A_OWNER.email, A_OWNER.password);
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
  const events = [
    ...purchase(h.merchantA, 'a-1', 1_850),
    ...purchase(h.merchantA, 'a-2', 2_400),
    ...purchase(h.merchantB, 'b-1', 99_900),
  ];
  await insertEvents(ch, events);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

const range = { from: '2026-10-25', to: '2026-11-05' };

async function revenue(client: Client) {
  const res = await client.api.analytics.revenue.$get({ query: range });
  expectStatus(res, 200);
  return res.json();
}

describe('analytics routes', () => {
  it("counts only the caller's merchant in revenue", async () => {
    const a = await revenue(ownerA);
    const b = await revenue(ownerB);
    expect(JSON.stringify(a.data.summary)).toContain('4250');
    expect(JSON.stringify(a.data.summary)).not.toContain('99900');
    expect(JSON.stringify(b.data.summary)).toContain('99900');
  });

  it('lists the orders whose payment did not match as needing attention, out of revenue, per merchant', async () => {
    const review = (merchantId: string, amountTotal: number, receivedAmount: number) => ({
      merchantId,
      skillId: DEMO_SKILL_ID,
      userId: 'u-review',
      sessionId: `s-review-${newId()}`,
      status: 'payment_review' as const,
      amountTotal,
      currency: 'USD',
      receivedAmount,
      receivedCurrency: 'USD',
    });
    await h.database.db.insert(skills).values({ id: B_SKILL, merchantId: h.merchantB, name: 'B skill' });
    const [ours] = await h.database.db
      .insert(orders)
      .values(review(h.merchantA, 1_850, 1))
      .returning({ id: orders.id, createdAt: orders.createdAt });
    await h.database.db.insert(orders).values({ ...review(h.merchantB, 5_000, 50), skillId: B_SKILL });

    const a = await revenue(analystA);
    expect(a.data.attention.count).toBe(1);
    expect(a.data.attention.orders).toEqual([
      {
        id: ours?.id,
        createdAt: ours?.createdAt.toISOString(),
        amountTotal: 1_850,
        currency: 'USD',
        receivedAmount: 1,
        receivedCurrency: 'USD',
      },
    ]);
    // Out of revenue: the summary still holds only the two matching payments.
    expect(JSON.stringify(a.data.summary)).toContain('4250');
    expect((await revenue(ownerB)).data.attention.count).toBe(1);
  });

  it('serves the overview, the funnel and insights to readers', async () => {
    expect((await analystA.api.analytics.overview.$get({ query: range })).status).toBe(200);
    expect((await analystA.api.analytics.insights.$get({ query: range })).status).toBe(200);
    const funnel = await analystA.api.analytics.funnel.$post({
      json: { ...range, steps: [{ type: 'session_start' }, { type: 'payment_succeeded' }] },
    });
    expectStatus(funnel, 200);
    const body = await funnel.json();
    expect(JSON.stringify(body.data.funnel)).toMatch(/"entered":2|"count":2/);
  });

  it('answers 400 for bad parameters and never runs them', async () => {
    const tz = await ownerA.api.analytics.overview.$get({
      // layers: not SQL (an injection attempt, refused before any query runs)
      query: { ...range, tz: "UTC'); DROP TABLE x; --" },
    });
    expect(tz.status).toBe(400);
    const day = await ownerA.api.analytics.revenue.$get({ query: { from: 'yesterday', to: '2026-11-05' } });
    expect(day.status).toBe(400);
    const step = await ownerA.api.analytics.funnel.$post({
      json: { steps: [{ type: 'nope' }, { type: 'turn' }] },
    });
    expect(step.status).toBe(400);
  });

  it('refuses callers without credentials', async () => {
    expect((await h.anonymous().api.analytics.overview.$get({ query: range })).status).toBe(401);
  });
});
