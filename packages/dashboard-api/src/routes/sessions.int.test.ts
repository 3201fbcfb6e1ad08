import { querySessionSearch } from '@pitchline/analytics';
import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId, type PitchlineEvent } from '@pitchline/core';
import type { InferRequestType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../testing/fixtures';
import {
  A_ANALYST,
  B_OWNER,
  type Client,
  type DashboardClient,
  expectStatus,
  type Harness,
  malformed,
  openHarness,
} from '../testing/harness';

/*
 * GET /api/analytics/sessions over real chDB and PGlite: the caller's merchant scopes every page (B's
 * sessions never show for A, whatever the query string says), filters and cursors travel through the
 * query string, and bad parameters are 400s with the issues.
 */

let ch: TestClickHouse;
let h: Harness;
let analystA: Client;
let ownerB: Client;
const START = Date.parse('2026-11-01T15:00:00Z');
const PRODUCT = '0195a3c4-0000-7000-8000-000000000001';

type SessionQuery = InferRequestType<DashboardClient['analytics']['sessions']['$get']>['query'];

/** One session: a start, a turn saying `speech`, and, when `paid`, a cart, an order and its payment. */
function session(merchantId: string, id: string, at: number, speech: string, paid: number | null) {
  const base = { merchant_id: merchantId, skill_id: 'skill', user_id: `${id}-u`, session_id: id };
  const events: PitchlineEvent[] = [
    {
      ...base,
      event_id: newEventId(),
      ts: at,
      type: 'session_start',
      locale: 'en-US',
      has_screen: false,
      new_user: true,
    },
    {
      ...base,
      event_id: newEventId(),
      ts: at + 1_000,
      type: 'turn',
      locale: 'en-US',
      has_screen: false,
      request_id: `${id}-r`,
      request_type: 'IntentRequest',
      intent: 'ProductDetailsIntent',
      slots: [],
      response_ssml: `<speak>${speech}</speak>`,
      should_end_session: false,
      latency_ms: 40,
    },
  ];
  if (paid !== null) {
    const orderId = newEventId();
    const order = { order_id: orderId, amount: paid, currency: 'USD', variants: [] };
    events.push(
      {
        ...base,
        event_id: newEventId(),
        ts: at + 2_000,
        type: 'cart_add',
        product_id: PRODUCT,
        quantity: 1,
        unit_amount: paid,
        currency: 'USD',
      },
      { ...base, event_id: newEventId(), ts: at + 3_000, type: 'order_confirmed', ...order },
      { ...base, event_id: newEventId(), ts: at + 4_000, type: 'payment_succeeded', ...order },
    );
  }
  return events;
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
  const events = [
    ...Array.from({ length: 7 }, (_, i) =>
      session(
        h.merchantA,
        `a-${i}`,
        START + i * 60_000,
        `Our 50%_off dark roast ${i}`,
        i % 2 ? 1_000 + i : null,
      ),
    ).flat(),
    ...session(h.merchantB, 'b-secret', START + 30_000, 'Our 50%_off zebra roast', 99_900),
  ];
  await insertEvents(ch, events);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

const range = { from: '2026-10-25', to: '2026-11-05', tz: 'UTC' };
const label = (query: object) => JSON.stringify(query).slice(0, 120);

const get = (client: Client, query: SessionQuery) => client.api.analytics.sessions.$get({ query });

async function search(client: Client, query: SessionQuery) {
  const res = await get(client, query);
  expectStatus(res, 200, label(query));
  return res.json();
}

describe('GET /analytics/sessions', () => {
  it("lists the caller's sessions newest first, with outcome and revenue, and never another merchant's", async () => {
    const a = await search(analystA, range);
    expect(a.data.sessions.map((s) => s.sessionId)).toEqual([
      'a-6',
      'a-5',
      'a-4',
      'a-3',
      'a-2',
      'a-1',
      'a-0',
    ]);
    expect(a.data.sessions.find((s) => s.sessionId === 'a-5')).toMatchObject({
      outcome: 'paid',
      revenue: [{ currency: 'USD', amount: 1_005 }],
    });
    expect(a.data.nextCursor).toBeNull();
    // A merchant id in the query string is ignored: the caller's tenant decides. (The route declares
    // no such parameter; the client sends the object it is given all the same.)
    const forgedQuery = { ...range, merchantId: h.merchantB, q: 'zebra' };
    const forged = await search(analystA, forgedQuery);
    expect(forged.data.sessions).toEqual([]);
    expect((await search(analystA, { ...range, q: 'b-secret' })).data.sessions).toEqual([]);
    const b = await search(ownerB, { ...range, q: 'ZEBRA' });
    expect(b.data.sessions.map((s) => s.sessionId)).toEqual(['b-secret']);
    expect(JSON.stringify(await search(analystA, { ...range, limit: '200' }))).not.toContain('b-secret');
  });

  it('passes filters and cursors through the query string, and blank fields mean no filter', async () => {
    const paid = await search(analystA, { ...range, outcome: 'paid', productId: PRODUCT, minTurns: '1' });
    expect(paid.data.sessions.map((s) => s.sessionId)).toEqual(['a-5', 'a-3', 'a-1']);
    const none = await search(analystA, { ...range, outcome: 'no-cart', device: 'voice', locale: 'en-US' });
    expect(none.data.sessions.map((s) => s.sessionId)).toEqual(['a-6', 'a-4', 'a-2', 'a-0']);
    // Blank form fields, as a plain HTML form would send them (the SPA leaves them out).
    const blanks = { ...range, q: '', outcome: malformed<'all'>(''), variant: '' };
    expect((await search(analystA, blanks)).data.sessions).toHaveLength(7);
    expect((await search(analystA, { ...range, q: '50%_OFF dark' })).data.sessions).toHaveLength(7);
    // `%` and `_` are characters to find, not LIKE wildcards: "ro_st" and "d%t" do not match "dark roast".
    for (const [q, n] of [
      ['%', 7],
      ['%_o', 7],
      ['ro_st', 0],
      ['d%t', 0],
    ] as const)
      expect((await search(analystA, { ...range, q })).data.sessions, q).toHaveLength(n);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search(analystA, { ...range, limit: '3', ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.sessions.map((s) => s.sessionId));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['a-6', 'a-5', 'a-4', 'a-3', 'a-2', 'a-1', 'a-0']);
  });

  it("defaults to the merchant's time zone, as the query does with it", async () => {
    const res = await search(analystA, { from: '2026-11-01', to: '2026-11-01' });
    const direct = await querySessionSearch(ch, {
      merchantId: h.merchantA,
      from: '2026-11-01',
      to: '2026-11-01',
      tz: 'America/New_York',
    });
    // The route adds the names of what the rows carry ids of; the rows are the query's.
    expect({
      ...res.data,
      sessions: res.data.sessions.map(({ variantsHeardNamed, productsTouchedNamed, ...row }) => row),
    }).toEqual(direct);
    expect(direct.sessions).toHaveLength(7);
    for (const row of res.data.sessions) {
      expect(row.variantsHeardNamed?.map((v) => v.key)).toEqual(row.variantsHeard);
      expect(row.productsTouchedNamed?.map((p) => p.id)).toEqual(row.productsTouched);
    }
  });

  it('answers 400 with the issues for bad parameters, and hostile text is just text', async () => {
    const bad: SessionQuery[] = [
      { ...range, q: 'x'.repeat(10_240) },
      // Choices outside the route's: not values the typed client lets a test write.
      { ...range, outcome: malformed('refunded') },
      { ...range, variant: 'nocolon' },
      { ...range, productId: "' OR 1=1 --" },
      { ...range, device: malformed('watch') },
      { ...range, minTurns: 'lots' },
      { ...range, minTurns: '-1' },
      { ...range, limit: '500' },
      { ...range, cursor: 'garbage!' },
      // layers: not SQL (an injection attempt, refused before any query runs)
      { ...range, tz: "UTC'); DROP TABLE events; --" },
      { from: '2026-11-05', to: '2026-11-01', tz: 'UTC' },
    ];
    for (const query of bad) {
      const res = await get(analystA, query);
      expectStatus(res, 400, label(query));
      const body = await res.json();
      expect(body.error).toBe('invalid_request');
      expect(body.issues.length).toBeGreaterThan(0);
    }
    for (const q of ["' OR 1=1 --", '\\', '{merchantId:UUID}', '.*', '<speak>', 'x'.repeat(200)]) {
      const page = await search(analystA, { ...range, q });
      expect(page.data.sessions, q).toEqual([]);
    }
    expect((await get(h.anonymous(), range)).status).toBe(401);
  });
});
