import { isMetricId } from '@pitchline/analytics';
import {
  generateEvents,
  openTestClickHouse,
  readAllEvents,
  type TestClickHouse,
} from '@pitchline/analytics/testing';
import { newEventId, type PitchlineEvent } from '@pitchline/core';
import {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  localDateOf,
  startOfLocalDate,
} from '@pitchline/core/time-zone';
import { merchants, orders, products, skills } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../testing/fixtures';
import { A_OWNER, B_OWNER, type Client, expectStatus, type Harness, openHarness } from '../testing/harness';

/*
 * Issue 12's acceptance test: for the same range and time zone, every page of the dashboard API gives
 * the same number for the same metric, and each figure is what the catalogue says it is. Through HTTP
 * (the typed client over app.request), never by calling a query function.
 *
 * History: a seeded, realistic traffic (analytics' generator) over eleven days around the 2026-11-01
 * DST change, for a merchant in America/New_York and one in Asia/Kolkata (+05:30), plus the awkward
 * cases written by hand: sessions of 23:50 local paid at 00:20 the next day (late payments, one
 * refunded two days later), a session whose session_end never came, a session_end and a payment whose
 * session started long before the range. Each figure is recomputed by brute force from the raw events
 * read back with a plain SELECT * and from the Postgres orders table; by-design differences
 * (paid_sessions vs paid_orders, Sessions vs Heard a pitch, the funnel's Paid step vs Paid, revenue by
 * variant vs experiment revenue) are each checked against their own definition.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FUNNEL_WINDOW_MS = DAY;
const ZONES = { A: 'America/New_York', B: 'Asia/Kolkata' } as const;

let ch: TestClickHouse;
let h: Harness;
let owner: Record<'A' | 'B', Client>;
let merchantOf: Record<'A' | 'B', string>;
/** The events as ClickHouse stores them (SELECT *), per merchant. */
let raw: Record<'A' | 'B', RawEvent[]>;

interface RawEvent {
  type: string;
  ts: number;
  session_id: string;
  user_id: string;
  amount: number;
  currency: string;
  intent: string;
  error: string;
  experiment_key: string;
  variant_key: string;
  reason: string;
  order_id: string;
}

/** ClickHouse's DateTime64 text ("2026-11-01 05:59:59.123", UTC) as ms. */
function parseTs(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) throw new Error(`unexpected ts ${text}`);
  const [, y, mo, d, hh, mi, ss, frac] = m;
  return Date.UTC(
    +(y ?? 0),
    +(mo ?? 1) - 1,
    +(d ?? 1),
    +(hh ?? 0),
    +(mi ?? 0),
    +(ss ?? 0),
    +(frac ?? '0').padEnd(3, '0'),
  );
}

async function readBack(merchantId: string): Promise<RawEvent[]> {
  const rows = await readAllEvents(ch, merchantId);
  return rows.map((r) => ({
    type: String(r.type),
    ts: parseTs(String(r.ts)),
    session_id: String(r.session_id),
    user_id: String(r.user_id),
    amount: Number(r.amount ?? 0),
    currency: String(r.currency ?? ''),
    intent: String(r.intent ?? ''),
    error: String(r.error ?? ''),
    experiment_key: String(r.experiment_key ?? ''),
    variant_key: String(r.variant_key ?? ''),
    reason: String(r.reason ?? ''),
    order_id: String(r.order_id ?? ''),
  }));
}

/** Sessions at local 23:50 of `day`, paid at 00:20 the next local day (one refunded two days later). */
function latePayments(merchantId: string, skillId: string, tz: string, day: string, currency: string) {
  const out: PitchlineEvent[] = [];
  for (let i = 0; i < 3; i++) {
    const start = startOfLocalDate(day, tz) + DAY - 10 * 60_000 + i * 1000;
    const base = {
      merchant_id: merchantId,
      skill_id: skillId,
      user_id: `late-user-${i}`,
      session_id: `amzn1.echo-api.session.late-${merchantId.slice(0, 8)}-${i}`,
    };
    const orderId = newEventId();
    const order = { order_id: orderId, amount: 1000 + i, currency, variants: ['voice-pitch:story'] };
    out.push(
      {
        ...base,
        event_id: newEventId(),
        ts: start,
        type: 'session_start',
        locale: 'en-US',
        has_screen: false,
        new_user: true,
      },
      {
        ...base,
        event_id: newEventId(),
        ts: start + 1000,
        type: 'pitch_exposure',
        experiment_id: '00000000-0000-4000-8000-000000000001',
        experiment_key: 'voice-pitch',
        variant_key: 'story',
        assignment_probability: 0.5,
        product_id: '00000000-0000-4000-8000-0000000000aa',
      },
      {
        ...base,
        event_id: newEventId(),
        ts: start + 2000,
        type: 'cart_add',
        product_id: '00000000-0000-4000-8000-0000000000aa',
        quantity: 1,
        unit_amount: order.amount,
        currency,
      },
      { ...base, event_id: newEventId(), ts: start + 3000, type: 'order_confirmed', ...order },
      // Paid 30 minutes later: after local midnight.
      {
        ...base,
        event_id: newEventId(),
        ts: start + 30 * 60_000,
        type: 'payment_succeeded',
        ...order,
        payment_intent_id: `pi_late_${i}`,
      },
    );
    if (i === 0)
      out.push({
        ...base,
        event_id: newEventId(),
        ts: start + 2 * DAY,
        type: 'refund',
        ...order,
        amount: 400,
      });
    // i === 2 never records a session_end (the shopper walked away); the others do, after midnight.
    if (i !== 2)
      out.push({
        ...base,
        event_id: newEventId(),
        ts: start + 31 * 60_000,
        type: 'session_end',
        reason: 'completed',
      });
  }
  // Late events of a session that started long before any range: no session of the range.
  const stray = {
    merchant_id: merchantId,
    skill_id: skillId,
    user_id: 'stray-user',
    session_id: `amzn1.echo-api.session.stray-${merchantId.slice(0, 8)}`,
  };
  const strayStart = startOfLocalDate('2026-10-01', tz) + 12 * HOUR;
  const strayOrder = {
    order_id: newEventId(),
    amount: 777,
    currency,
    variants: [],
  };
  out.push(
    {
      ...stray,
      event_id: newEventId(),
      ts: strayStart,
      type: 'session_start',
      locale: 'en-US',
      has_screen: false,
      new_user: true,
    },
    {
      ...stray,
      event_id: newEventId(),
      ts: strayStart + 1000,
      type: 'order_confirmed',
      ...strayOrder,
    },
    {
      ...stray,
      event_id: newEventId(),
      ts: startOfLocalDate(day, tz) + 12 * HOUR,
      type: 'payment_succeeded',
      ...strayOrder,
      payment_intent_id: 'pi_stray',
    },
    {
      ...stray,
      event_id: newEventId(),
      ts: startOfLocalDate(day, tz) + 12 * HOUR + 1000,
      type: 'session_end',
      reason: 'user_initiated',
    },
  );
  // A session whose session_start was never recorded: its late session_end alone is no session.
  out.push({
    merchant_id: merchantId,
    skill_id: skillId,
    user_id: 'orphan-user',
    session_id: `amzn1.echo-api.session.orphan-${merchantId.slice(0, 8)}`,
    event_id: newEventId(),
    ts: startOfLocalDate(day, tz) + 13 * HOUR,
    type: 'session_end',
    reason: 'user_stop',
  });
  return out;
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  merchantOf = { A: h.merchantA, B: h.merchantB };
  await h.database.db
    .update(merchants)
    .set({ timezone: ZONES.A, currency: 'USD' })
    .where(eq(merchants.id, h.merchantA));
  await h.database.db
    .update(merchants)
    .set({ timezone: ZONES.B, currency: 'EUR' })
    .where(eq(merchants.id, h.merchantB));
  owner = {
    A: await h.login(A_OWNER.email, A_OWNER.password),
    B: await h.login(B_OWNER.email, B_OWNER.password),
  };

  const generated = generateEvents({
    seed: 1212,
    merchants: 2,
    sessionsPerMerchant: 700,
    startMs: Date.UTC(2026, 9, 27),
    days: 11,
  });
  const idOf = new Map([
    [generated.merchants[0] ?? '', h.merchantA],
    [generated.merchants[1] ?? '', h.merchantB],
  ]);
  const events: PitchlineEvent[] = generated.events.map((e) => ({
    ...e,
    merchant_id: idOf.get(e.merchant_id) ?? e.merchant_id,
  }));
  const skillOf = new Map<string, string>();
  for (const e of events) skillOf.set(e.merchant_id, e.skill_id);
  for (const [key, tz, currency] of [
    ['A', ZONES.A, 'USD'],
    ['B', ZONES.B, 'EUR'],
  ] as const) {
    const m = merchantOf[key];
    events.push(...latePayments(m, skillOf.get(m) ?? 'skill', tz, '2026-11-02', currency));
  }
  await insertEvents(ch, events);
  // Merchant A's catalog in Postgres, named, so the pages can say which coffee (B's stays unnamed).
  await h.database.db.insert(products).values(
    (generated.products.get(generated.merchants[0] ?? '') ?? []).map((p, i) => ({
      id: p.id,
      merchantId: h.merchantA,
      name: `House coffee ${i + 1}`,
      category: 'Coffee',
      priceAmount: p.price,
      currency: 'USD',
      defaultPitch: '{{product}} for {{price}}.',
    })),
  );

  // The orders table as the skill leaves it: one order per confirmation, its status and money from
  // what happened to it afterwards.
  for (const [m, skillId] of skillOf)
    await h.database.db.insert(skills).values({ id: skillId, merchantId: m, name: 'Shop' });
  const byOrder = new Map<string, PitchlineEvent[]>();
  for (const e of events)
    if ('order_id' in e) byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e]);
  const rows = [...byOrder.values()].flatMap((evs) => {
    const placed = evs.find((e) => e.type === 'order_confirmed');
    if (placed?.type !== 'order_confirmed') return [];
    const paid = evs.find((e) => e.type === 'payment_succeeded');
    const refunded = evs
      .filter((e) => e.type === 'refund')
      .reduce((a, e) => a + ('amount' in e ? e.amount : 0), 0);
    const failed = evs.some((e) => e.type === 'payment_failed');
    const status = paid
      ? refunded === 0
        ? 'paid'
        : refunded >= placed.amount
          ? 'refunded'
          : 'partially_refunded'
      : failed
        ? 'failed'
        : 'pending';
    return [
      {
        id: placed.order_id,
        merchantId: placed.merchant_id,
        skillId: placed.skill_id,
        userId: placed.user_id,
        sessionId: placed.session_id,
        status: status as 'paid',
        amountTotal: placed.amount,
        currency: placed.currency,
        refundedAmount: refunded,
        createdAt: new Date(placed.ts),
        paidAt: paid ? new Date(paid.ts) : null,
      },
    ];
  });
  for (let i = 0; i < rows.length; i += 200)
    await h.database.db.insert(orders).values(rows.slice(i, i + 200));

  // An experiment on the generator's "voice-pitch" pitches, started through the API; its shoppers'
  // traffic is generated after the (real-time) start, and the clock set three days later.
  const created = await owner.A.api.experiments.$post({
    json: {
      key: EXPERIMENT_KEY,
      name: 'Voice pitch',
      hypothesis: 'A story sells more than the price alone',
      scope: { kind: 'launch' },
      variants: [
        {
          key: 'control',
          name: 'Price only',
          template: 'The {{product}} is {{price}}.',
          weight: 1,
          isControl: true,
        },
        {
          key: 'story',
          name: 'Story',
          template: 'Roasted this week, the {{product}} is {{price}}.',
          weight: 1,
        },
      ],
      primaryMetric: 'conversion',
      secondaryMetrics: [],
      guardrailMetrics: [],
      conversionWindowHours: 72,
    },
  });
  expectStatus(created, 201);
  experimentId = (await created.json()).experiment.id;
  const started = await owner.A.api.experiments[':id'].start.$post({ param: { id: experimentId } });
  expectStatus(started, 200);
  experimentStart = Date.parse((await started.json()).experiment.startedAt ?? '');
  const later = generateEvents({
    seed: 77,
    merchants: 1,
    sessionsPerMerchant: 300,
    startMs: experimentStart + 60_000,
    days: 2,
  });
  await insertEvents(
    ch,
    later.events.map((e) => ({
      ...e,
      merchant_id: h.merchantA,
      skill_id: skillOf.get(h.merchantA) ?? e.skill_id,
      // Exposures name the experiment by its id, as the skill records them.
      ...(e.type === 'pitch_exposure' && e.experiment_key === EXPERIMENT_KEY
        ? { experiment_id: experimentId }
        : {}),
    })),
  );
  h.clock.now = new Date(experimentStart + 3 * DAY);
  // Sessions made at the harness's earlier clock have expired by then: log in again.
  owner = {
    A: await h.login(A_OWNER.email, A_OWNER.password),
    B: await h.login(B_OWNER.email, B_OWNER.password),
  };

  raw = { A: await readBack(h.merchantA), B: await readBack(h.merchantB) };
}, 300_000);

afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

const RANGES = [
  { from: '2026-10-20', to: '2026-11-20' }, // everything: every refund inside
  { from: '2026-10-31', to: '2026-11-02' }, // across the DST change (America/New_York)
  { from: '2026-11-02', to: '2026-11-02' }, // the evening of the late payments
  { from: '2026-11-03', to: '2026-11-03' }, // the morning they were paid
  { from: '2026-10-29', to: '2026-11-04' }, // a week
];

// ---- brute force, from the raw events and the orders table -------------------------------------------

function brute(events: RawEvent[], tz: string, r: { from: string; to: string }) {
  const inRange = (ts: number) => {
    const d = localDateOf(ts, tz);
    return d >= r.from && d <= r.to;
  };
  const bySession = new Map<string, RawEvent[]>();
  for (const e of events) bySession.set(e.session_id, [...(bySession.get(e.session_id) ?? []), e]);
  const first = (evs: RawEvent[], type: string, after: number) =>
    Math.min(
      ...evs.filter((e) => e.type === type && e.ts >= after).map((e) => e.ts),
      Number.POSITIVE_INFINITY,
    );

  const sessions: { id: string; start: number; evs: RawEvent[] }[] = [];
  for (const [id, evs] of bySession) {
    const start = evs.find((e) => e.type === 'session_start');
    if (start && inRange(start.ts)) sessions.push({ id, start: start.ts, evs });
  }
  const within = (s: { start: number }, t: number) => t - s.start <= FUNNEL_WINDOW_MS;
  const paidSessions = sessions.filter((s) => within(s, first(s.evs, 'payment_succeeded', s.start))).length;
  const pitchedSessions = sessions.filter((s) => within(s, first(s.evs, 'pitch_exposure', s.start))).length;
  // The default funnel's last step: every step in order (each at or after the previous), within the window.
  const funnelPaid = sessions.filter((s) => {
    let t = s.start;
    for (const type of ['pitch_exposure', 'cart_add', 'order_confirmed', 'payment_succeeded']) {
      t = first(s.evs, type, t);
      if (!within(s, t)) return false;
    }
    return true;
  }).length;

  // Time to yes: from the start to the first order confirmed, over sessions that ordered within the
  // window; the median as ClickHouse's quantileExact picks it (element ⌊n/2⌋ of the sorted gaps).
  const gaps = sessions
    .map((s) => first(s.evs, 'order_confirmed', s.start) - s.start)
    .filter((g) => g <= FUNNEL_WINDOW_MS)
    .sort((a, b) => a - b);
  const timeToYes = gaps.length ? (gaps[Math.floor(gaps.length / 2)] ?? null) : null;

  const money = events.filter(
    (e) => (e.type === 'payment_succeeded' || e.type === 'refund') && inRange(e.ts),
  );
  const gross = money.filter((e) => e.type === 'payment_succeeded').reduce((a, e) => a + e.amount, 0);
  const refunds = money.filter((e) => e.type === 'refund').reduce((a, e) => a + e.amount, 0);
  const paidOrders = money.filter((e) => e.type === 'payment_succeeded').length;
  // Revenue by variant: each payment/refund credited to the first pitch heard in its session.
  const firstPitch = (sessionId: string) => {
    const pitches = (bySession.get(sessionId) ?? [])
      .filter((e) => e.type === 'pitch_exposure')
      .sort((a, b) => a.ts - b.ts);
    const p = pitches[0];
    return p ? `${p.experiment_key}:${p.variant_key}` : '(none)';
  };
  const byVariant = new Map<string, number>();
  for (const e of money)
    byVariant.set(
      firstPitch(e.session_id),
      (byVariant.get(firstPitch(e.session_id)) ?? 0) + (e.type === 'refund' ? -e.amount : e.amount),
    );

  const turns = events.filter((e) => e.type === 'turn' && inRange(e.ts));
  const fallback = turns.filter((e) => e.intent === 'AMAZON.FallbackIntent').length;
  const exposed = new Set(
    events.filter((e) => e.type === 'pitch_exposure' && inRange(e.ts)).map((e) => e.user_id),
  ).size;
  const lastMidnight = startOfLocalDate(r.to, tz) + 2 * DAY;
  const endReasons = new Map<string, number>();
  for (const s of sessions) {
    const ends = s.evs
      .filter((e) => e.type === 'session_end' && e.ts < lastMidnight)
      .sort((a, b) => b.ts - a.ts);
    const reason = ends[0]?.reason ?? 'no_end_recorded';
    endReasons.set(reason, (endReasons.get(reason) ?? 0) + 1);
  }
  return {
    timeToYes,
    sessions: sessions.length,
    paidSessions,
    pitchedSessions,
    funnelPaid,
    gross,
    refunds,
    paidOrders,
    byVariant,
    turns: turns.length,
    fallback,
    exposed,
    endReasons,
  };
}

async function ordersTruth(merchantId: string, tz: string, r: { from: string; to: string }) {
  const rows = await h.database.db.select().from(orders).where(eq(orders.merchantId, merchantId));
  const paid = rows.filter(
    (o) => o.paidAt !== null && localDateOf(o.paidAt, tz) >= r.from && localDateOf(o.paidAt, tz) <= r.to,
  );
  return {
    gross: paid.reduce((a, o) => a + o.amountTotal, 0),
    paidOrders: paid.length,
    refundedOfAll: rows.reduce((a, o) => a + o.refundedAmount, 0),
  };
}

// ---- an experiment over part of the history -------------------------------------------------------

const EXPERIMENT_KEY = 'voice-pitch';
let experimentId: string;
/** When the experiment started: the store stamps the real time, so its traffic is written after it. */
let experimentStart: number;

async function experimentResultsOf(client: Client) {
  const res = await client.api.experiments[':id'].results.$get({ param: { id: experimentId } });
  expectStatus(res, 200);
  return (await res.json()).results;
}

// ---- the pages, over HTTP ----------------------------------------------------------------------------

const FUNNEL_STEPS = [
  'session_start',
  'pitch_exposure',
  'cart_add',
  'order_confirmed',
  'payment_succeeded',
] as const;

async function pages(client: Client, r: { from: string; to: string }) {
  const overview = await client.api.analytics.overview.$get({ query: r });
  expectStatus(overview, 200);
  const revenue = await client.api.analytics.revenue.$get({ query: r });
  expectStatus(revenue, 200);
  const insights = await client.api.analytics.insights.$get({ query: r });
  expectStatus(insights, 200);
  const funnel = await client.api.analytics.funnel.$post({
    json: { ...r, steps: FUNNEL_STEPS.map((type) => ({ type })) },
  });
  expectStatus(funnel, 200);
  const sessions = await client.api.analytics.sessions.$get({ query: { ...r, limit: '1' } });
  expectStatus(sessions, 200);
  return {
    overview: (await overview.json()).data,
    revenue: (await revenue.json()).data,
    insights: (await insights.json()).data,
    funnel: (await funnel.json()).data.funnel,
    sessions: (await sessions.json()).data,
  };
}

describe('one set of numbers across pages (through HTTP, against brute force)', () => {
  for (const key of ['A', 'B'] as const) {
    it(`merchant ${key} (${ZONES[key]}): every page's same metric is the same, and what its definition says`, async () => {
      const tz = ZONES[key];
      for (const r of RANGES) {
        const at = `${key} ${r.from}..${r.to}`;
        const want = brute(raw[key], tz, r);
        const truth = await ordersTruth(merchantOf[key], tz, r);
        const p = await pages(owner[key], r);
        expect(want.sessions, at).toBeGreaterThan(0);

        // sessions: one number on Overview, Revenue, Insights (health and exit points), Funnel, search.
        const funnelTotal = (i: number) => p.funnel.groups.reduce((a, g) => a + (g.steps[i]?.count ?? 0), 0);
        expect(
          {
            overview: p.overview.figures.sessions.value,
            revenue: p.revenue.figures.sessions.value,
            insights: p.insights.figures.sessions.value,
            exitPoints: p.insights.exitPoints.byReason.reduce((a, x) => a + x.sessions, 0),
            funnelFirstStep: funnelTotal(0),
            funnelFigure: p.funnel.figures.sessions?.value,
            search: p.sessions.total,
            searchFigure: p.sessions.figures.sessions?.value,
          },
          at,
        ).toEqual({
          overview: want.sessions,
          revenue: want.sessions,
          insights: want.sessions,
          exitPoints: want.sessions,
          funnelFirstStep: want.sessions,
          funnelFigure: want.sessions,
          search: want.sessions,
          searchFigure: want.sessions,
        });
        // Exit points: every session under its reason, those without an end as "no end recorded".
        expect(
          Object.fromEntries(p.insights.exitPoints.byReason.map((x) => [x.reason, x.sessions])),
          at,
        ).toEqual(Object.fromEntries(want.endReasons));

        // Heard a pitch: the funnel's second step, the overview's pitched_sessions (≤ sessions by design).
        expect(p.overview.figures.pitched_sessions.value, at).toBe(want.pitchedSessions);
        expect(funnelTotal(1), at).toBe(want.pitchedSessions);
        // Paid (session day, any pitch or none) vs the funnel's Paid step (every step in order).
        expect(p.overview.figures.paid_sessions.value, at).toBe(want.paidSessions);
        expect(funnelTotal(4), at).toBe(want.funnelPaid);
        expect(p.funnel.groups[0]?.steps[4]?.metric).toBe('funnel_step');
        expect(p.overview.figures.paid_conversion.value, at).toBeCloseTo(
          want.paidSessions / want.sessions,
          12,
        );

        // Money by payment/refund day: events, orders table, overview and revenue all agree.
        for (const page of [p.overview.figures, p.revenue.figures]) {
          expect(page.gross_revenue.value, at).toBe(want.gross);
          expect(page.refunds.value, at).toBe(want.refunds);
          expect(page.net_revenue.value, at).toBe(want.gross - want.refunds);
          expect(page.paid_orders.value, at).toBe(want.paidOrders);
          expect(page.exposed_shoppers.value, at).toBe(want.exposed);
        }
        expect({ gross: want.gross, paidOrders: want.paidOrders }, at).toEqual({
          gross: truth.gross,
          paidOrders: truth.paidOrders,
        });
        // Revenue by variant: first pitch of the session, so the variants add up to the total.
        expect(Object.fromEntries(p.revenue.byVariant.map((row) => [row.key, row.net])), at).toEqual(
          Object.fromEntries([...want.byVariant].filter(([, v]) => v !== 0 || true)),
        );
        expect(
          p.revenue.byVariant.reduce((a, row) => a + row.net, 0),
          at,
        ).toBe(want.gross - want.refunds);

        // The previous period: as many days just before, its figures by the same definitions, and
        // on how many of its days a session started (the page compares only when most had data).
        const days = daysBetweenLocalDates(r.from, r.to) + 1;
        const prior = { from: addDaysToLocalDate(r.from, -days), to: addDaysToLocalDate(r.from, -1) };
        const wantPrior = brute(raw[key], tz, prior);
        const priorDays = new Set(
          raw[key]
            .filter((e) => e.type === 'session_start')
            .map((e) => localDateOf(e.ts, tz))
            .filter((d) => d >= prior.from && d <= prior.to),
        ).size;
        for (const page of [p.overview, p.revenue, p.insights, p.funnel]) {
          expect(page.previousPeriod, at).toEqual({ ...prior, days, daysWithData: priorDays });
          expect(page.previousFigures?.sessions?.value, at).toBe(wantPrior.sessions);
        }
        expect(p.overview.previousFigures?.net_revenue.value, at).toBe(wantPrior.gross - wantPrior.refunds);

        expect(p.insights.figures.time_to_yes.value, at).toBe(want.timeToYes);

        // Requests and fallbacks by request day, on the overview and the insights page alike.
        for (const page of [p.overview.figures, p.insights.figures]) {
          expect(page.turns.value, at).toBe(want.turns);
          expect(page.fallback_rate.value, at).toBeCloseTo(want.fallback / want.turns, 12);
        }
      }
    });
  }

  it('late payments: Paid counts them on the evening the session started, Paid orders on the morning paid', async () => {
    for (const key of ['A', 'B'] as const) {
      const evening = await pages(owner[key], { from: '2026-11-02', to: '2026-11-02' });
      const morning = await pages(owner[key], { from: '2026-11-03', to: '2026-11-03' });
      const tz = ZONES[key];
      const late = raw[key].filter((e) => e.session_id.includes('.late-') && e.type === 'payment_succeeded');
      expect(late).toHaveLength(3);
      for (const e of late) expect(localDateOf(e.ts, tz)).toBe('2026-11-03');
      const wantEvening = brute(raw[key], tz, { from: '2026-11-02', to: '2026-11-02' });
      const wantMorning = brute(raw[key], tz, { from: '2026-11-03', to: '2026-11-03' });
      // The three late sessions are among the evening's paid sessions and the morning's paid orders.
      expect(evening.overview.figures.paid_sessions.value).toBe(wantEvening.paidSessions);
      expect(morning.overview.figures.paid_orders.value).toBe(wantMorning.paidOrders);
      expect(wantEvening.paidSessions).toBeGreaterThanOrEqual(3);
      expect(wantMorning.paidOrders).toBeGreaterThanOrEqual(3);
    }
  });

  it('every figure and column the API sends names a metric of the catalogue; no undefined figure lacks its reason', async () => {
    const seen = new Set<string>();
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) for (const [i, x] of node.entries()) walk(x, `${path}[${i}]`);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        // An experiment's analysis rows (MetricResult: they have a `role`) name the experiment's own
        // metric setting in `metric`; their catalogue figure is `figure`, checked as any other.
        if (typeof o.metric === 'string' && !('role' in o)) {
          seen.add(o.metric);
          expect(isMetricId(o.metric), `${path}: ${o.metric}`).toBe(true);
          if ('value' in o && o.value === null)
            expect(typeof o.reason, `${path}: null without reason`).toBe('string');
          if (typeof o.value === 'number') expect(Number.isFinite(o.value), path).toBe(true);
        }
        for (const [k, v] of Object.entries(o)) {
          // `columns` maps table columns to metric ids.
          if (k === 'columns')
            for (const id of JSON.stringify(v).match(/"[a-z_0-9]+"(?=[,}])/g) ?? []) {
              const metric = id.slice(1, -1);
              seen.add(metric);
              expect(isMetricId(metric), `${path}.columns: ${metric}`).toBe(true);
            }
          walk(v, `${path}.${k}`);
        }
      }
    };
    for (const key of ['A', 'B'] as const) {
      for (const r of [RANGES[1], RANGES[2]] as { from: string; to: string }[]) {
        const p = await pages(owner[key], r);
        walk(p, `${key} ${r.from}`);
      }
    }
    const results = await experimentResultsOf(owner.A);
    walk(results, 'results');
    // The walk saw the figures of every page, so a figure id outside the catalogue could not hide.
    for (const id of [
      'sessions',
      'paid_sessions',
      'net_revenue',
      'latency_p99',
      'funnel_step',
      'experiment_lift',
      'paid_orders',
    ])
      expect(seen, id).toContain(id);
  });

  it('experiment results: per-shopper figures by first exposure, with names beside keys', async () => {
    const results = await experimentResultsOf(owner.A);
    const start = experimentStart;
    const window = 72 * HOUR;
    // Brute force: each shopper in the variant of their first exposure to the experiment since its
    // start; bought when a payment came within the window after it (and before now).
    const firstBy = new Map<string, { ts: number; variant: string }>();
    for (const e of raw.A.filter(
      (x) => x.type === 'pitch_exposure' && x.experiment_key === EXPERIMENT_KEY && x.ts >= start,
    ).sort((a, b) => a.ts - b.ts))
      if (!firstBy.has(e.user_id)) firstBy.set(e.user_id, { ts: e.ts, variant: e.variant_key });
    const shoppers = new Map<string, number>();
    const buyers = new Map<string, number>();
    const revenue = new Map<string, number>();
    for (const [user, f] of firstBy) {
      shoppers.set(f.variant, (shoppers.get(f.variant) ?? 0) + 1);
      // Net money of the shopper inside the window: payments minus refunds (not the revenue pages' figure).
      // … and before now: the results are as of the (test's) clock.
      const net = raw.A.filter(
        (e) => e.user_id === user && e.ts >= f.ts && e.ts <= f.ts + window && e.ts < h.clock.now.getTime(),
      ).reduce(
        (a, e) => a + (e.type === 'payment_succeeded' ? e.amount : e.type === 'refund' ? -e.amount : 0),
        0,
      );
      revenue.set(f.variant, (revenue.get(f.variant) ?? 0) + net);
      const bought = raw.A.some(
        (e) =>
          e.type === 'payment_succeeded' &&
          e.user_id === user &&
          e.ts >= f.ts &&
          e.ts <= f.ts + window &&
          e.ts < h.clock.now.getTime(),
      );
      if (bought) buyers.set(f.variant, (buyers.get(f.variant) ?? 0) + 1);
    }
    expect(results.name).toBe('Voice pitch');
    for (const v of results.variants) {
      expect(v.name, v.key).toBe(v.key === 'control' ? 'Price only' : 'Story');
      expect(v.figures.experiment_shoppers.value, v.key).toBe(shoppers.get(v.key) ?? 0);
      expect(v.figures.experiment_conversions.value, v.key).toBe(buyers.get(v.key) ?? 0);
      expect(v.figures.experiment_revenue.value, v.key).toBe(revenue.get(v.key) ?? 0);
      expect(v.figures.experiment_conversion.value, v.key).toBeCloseTo(
        (buyers.get(v.key) ?? 0) / (shoppers.get(v.key) ?? 1),
        12,
      );
    }
    expect(results.variants.find((v) => v.key === 'control')?.figures.experiment_lift).toMatchObject({
      value: null,
    });
  });

  it('names, not ids: products, variants, funnel steps, intents and end reasons in words', async () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const p = await pages(owner.A, { from: '2026-10-29', to: '2026-11-04' });
    expect(p.funnel.groups[0]?.steps.map((s) => s.name)).toEqual([
      'Started a session',
      'Heard a pitch',
      'Added to cart',
      'Placed an order',
      'Paid',
    ]);
    expect(p.revenue.byProduct.length).toBeGreaterThan(0);
    // The hand-written late sessions' product is in no catalog: said so in words, not as its id.
    for (const row of p.revenue.byProduct)
      expect(row.name).toMatch(
        row.productId.endsWith('0000000000aa') ? /^Product no longer in the catalog$/ : /^House coffee \d$/,
      );
    const story = p.revenue.byVariant.find((row) => row.key === 'voice-pitch:story');
    expect(story?.name).toBe('Voice pitch: Story');
    expect(p.revenue.byVariant.find((row) => row.key === '(none)')?.name).toBe('No pitch heard');
    const overview = p.overview;
    expect(overview.funnel.groups.find((g) => g.group === 'voice-pitch:control')?.name).toBe(
      'Voice pitch: Price only',
    );
    expect(overview.topIntents.find((i) => i.intent === 'AddToCartIntent')?.label).toBe('Add to cart');
    expect(
      p.insights.exitPoints.byReason.find((r) => r.reason === 'no_end_recorded')?.label ?? 'No end recorded',
    ).toBe('No end recorded');
    for (const text of [
      ...p.funnel.groups.flatMap((g) => [g.name ?? '', ...g.steps.map((s) => s.name)]),
      ...p.revenue.byProduct.map((r) => r.name),
      ...p.revenue.byVariant.map((r) => r.name),
      ...p.insights.topIntents.map((i) => i.label),
    ])
      expect(text).not.toMatch(uuid);
    // A transcript names the product pitched and the variant heard.
    const search = await owner.A.api.analytics.sessions.$get({
      query: { from: '2026-10-29', to: '2026-11-04', variant: 'voice-pitch:story', limit: '1' },
    });
    expectStatus(search, 200);
    const row = (await search.json()).data.sessions[0];
    expect(row?.variantsHeardNamed?.find((v) => v.key === 'voice-pitch:story')?.name).toBe(
      'Voice pitch: Story',
    );
    const transcript = await owner.A.api.analytics.sessions[':id'].transcript.$get({
      param: { id: row?.sessionId ?? '' },
    });
    expectStatus(transcript, 200);
    const pitch = (await transcript.json()).data.turns
      .flatMap((t) => t.events)
      .find((e) => e.type === 'pitch_exposure');
    expect(pitch?.productName).toMatch(/^House coffee \d$/);
    expect(pitch?.experimentName).toBe('Voice pitch');
  });

  it('the orders table and the events agree on every refund ever given', async () => {
    for (const key of ['A', 'B'] as const) {
      const truth = await ordersTruth(merchantOf[key], ZONES[key], RANGES[0] as { from: string; to: string });
      // The history the orders table was written for (the experiment's later traffic has no orders rows).
      const refundsEvents = raw[key]
        .filter((e) => e.type === 'refund' && localDateOf(e.ts, ZONES[key]) <= '2026-11-20')
        .reduce((a, e) => a + e.amount, 0);
      expect(truth.refundedOfAll).toBe(refundsEvents);
      const p = await pages(owner[key], RANGES[0] as { from: string; to: string });
      expect(p.revenue.figures.refunds.value).toBe(refundsEvents);
    }
  });
});
