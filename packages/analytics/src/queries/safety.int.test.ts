import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryCatalogGaps } from './catalog-gaps.query';
import { queryDialogHealth } from './dialog-health.query';
import { queryExitPoints } from './exit-points.query';
import { queryFunnel } from './funnel.query';
import { queryFunnelDropoffs } from './funnel-drilldown.query';
import { funnelSpecSchema } from './funnel-spec';
import { queryOverview } from './overview.query';
import { queryRejectedRequests } from './rejected-requests.query';
import { queryRevenueSummary } from './revenue.query';
import { queryRevenueBreakdown } from './revenue-breakdown.query';
import { queryRevenueByProduct } from './revenue-by-product.query';
import { querySkillLatency } from './skill-latency.query';
import { bruteFunnel, sortEvents } from './testing/brute-funnel';
import { type GeneratedData, generateEvents } from './testing/generate';
import { insertGenerated } from './testing/insert';
import { queryTopIntents } from './top-intents.query';
import { queryTranscript } from './transcript.query';
import { queryTurnsToPurchase } from './turns-to-purchase.query';

let ch: TestClickHouse;
let data: GeneratedData;
let a: string;
let b: string;

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({
    seed: 5,
    merchants: 2,
    sessionsPerMerchant: 150,
    startMs: Date.parse('2026-05-01T00:00:00Z'),
    days: 3,
  });
  [a, b] = data.merchants as [string, string];
  await insertGenerated(ch, data.events);
});
afterAll(async () => {
  await ch?.dispose();
});

const HOSTILE = [
  "' OR 1=1 --",
  "x') OR ('1'='1",
  '\\',
  "'; DROP TABLE events; --",
  '{merchantId:UUID}',
  '😀 ünï',
  '',
];
const range = { from: '2026-05-01', to: '2026-05-05', tz: 'UTC' };

async function everyQuery(merchantId: string): Promise<string> {
  const p = { merchantId, ...range };
  const funnel = {
    ...p,
    steps: [{ type: 'session_start' }, { type: 'pitch_exposure' }, { type: 'cart_add' }],
    breakdown: 'variant' as const,
  };
  const results = await Promise.all([
    queryFunnel(ch, funnel),
    queryFunnel(ch, { ...funnel, unit: 'user' }),
    queryFunnelDropoffs(ch, { merchantId, funnel, droppedAfterStep: 1, limit: 1000 }),
    queryRevenueSummary(ch, p),
    queryRevenueBreakdown(ch, { ...p, by: 'locale' }),
    queryRevenueBreakdown(ch, { ...p, by: 'variant' }),
    queryRevenueByProduct(ch, p),
    queryTopIntents(ch, p),
    queryDialogHealth(ch, p),
    queryCatalogGaps(ch, p),
    queryExitPoints(ch, p),
    queryTurnsToPurchase(ch, p),
    querySkillLatency(ch, p),
    queryRejectedRequests(ch, p),
    queryOverview(ch, p),
  ]);
  return JSON.stringify(results);
}

describe('tenant isolation', () => {
  it("one merchant's queries never show another's sessions, users or products", async () => {
    const shown = await everyQuery(a);
    const others = data.events.filter((e) => e.merchant_id === b);
    const products = data.products.get(b) ?? [];
    for (const id of [...new Set(others.flatMap((e) => [e.session_id, e.user_id]))].filter(
      (x) => x !== 'unknown',
    )) {
      expect(shown).not.toContain(id);
    }
    for (const product of products) expect(shown).not.toContain(product.id);
    // …while its own are there (the check above would pass on empty results too).
    expect(shown).toContain((data.products.get(a) ?? [])[0]?.id);
    const session = others.find((e) => e.type === 'session_start')?.session_id as string;
    expect(await queryTranscript(ch, { merchantId: a, sessionId: session })).toBeUndefined();
    expect(await queryTranscript(ch, { merchantId: b, sessionId: session })).toBeDefined();
  });

  it('the overview page is the same answers as its queries', async () => {
    const p = { merchantId: a, ...range, tz: 'Europe/Lisbon' };
    const overview = await queryOverview(ch, p);
    expect(overview.revenue).toEqual(await queryRevenueSummary(ch, p));
    expect(overview.revenueByDay).toEqual(await queryRevenueBreakdown(ch, { ...p, by: 'day' }));
    expect(overview.topIntents).toEqual(await queryTopIntents(ch, { ...p, limit: 5 }));
    expect(overview.health).toEqual(await queryDialogHealth(ch, p));
    expect(overview.funnel.groups.length).toBeGreaterThan(1);
  });

  it('a merchant without events gets empty answers, not errors', async () => {
    const nobody = '0195a3c4-0000-7000-8000-00000000abcd';
    const p = { merchantId: nobody, ...range };
    expect(
      (await queryFunnel(ch, { ...p, steps: [{ type: 'session_start' }, { type: 'cart_add' }] })).groups,
    ).toEqual([]);
    expect(await queryRevenueSummary(ch, p)).toEqual({ sessions: 0, exposedUsers: 0, byCurrency: [] });
    expect(await queryTopIntents(ch, p)).toEqual([]);
    expect((await queryTurnsToPurchase(ch, p)).sessions).toBe(0);
  });
});

describe('hostile input is inert', () => {
  it('filter values, experiment keys, groups and session ids are parameters, never SQL', async () => {
    const before = (
      await (
        await ch.client.query({
          query: `SELECT count() AS n FROM ${ch.database}.events`,
          format: 'JSONEachRow',
        })
      ).json<{ n: number }>()
    )[0];
    for (const value of HOSTILE) {
      const input = {
        merchantId: a,
        ...range,
        steps: [
          { type: 'session_start' },
          { type: 'turn', filters: [{ field: 'intent' as const, values: [value, 'AddToCartIntent'] }] },
          {
            type: 'pitch_exposure',
            filters: [{ field: 'variant_key' as const, op: 'not_in' as const, values: [value] }],
          },
        ],
        breakdown: 'variant' as const,
        experimentKey: value || 'x',
      };
      const got = await queryFunnel(ch, input);
      const want = bruteFunnel(data.events, funnelSpecSchema.parse(input));
      expect(got.groups.map((g) => [g.group, g.steps.map((s) => s.count)])).toEqual(
        want.map((g) => [g.group, g.counts]),
      );
      expect(
        await queryFunnelDropoffs(ch, { merchantId: a, funnel: input, droppedAfterStep: 1, group: value }),
      ).toEqual(expect.any(Array));
      expect(
        await queryRevenueBreakdown(ch, {
          merchantId: a,
          ...range,
          by: 'variant',
          experimentKey: value || 'x',
        }),
      ).toEqual(expect.any(Array));
      if (value) expect(await queryTranscript(ch, { merchantId: a, sessionId: value })).toBeUndefined();
    }
    const after = (
      await (
        await ch.client.query({
          query: `SELECT count() AS n FROM ${ch.database}.events`,
          format: 'JSONEachRow',
        })
      ).json<{ n: number }>()
    )[0];
    expect(Number(after?.n)).toBe(Number(before?.n));
    expect(Number(after?.n)).toBe(data.events.length);
  });

  it('zod refuses what has no safe meaning: bad zones, tenants, fields, types, dates', async () => {
    const ok = { merchantId: a, ...range };
    await expect(queryRevenueSummary(ch, { ...ok, tz: "UTC'); DROP TABLE events; --" })).rejects.toThrow(
      /time zone/,
    );
    await expect(queryRevenueSummary(ch, { ...ok, tz: 'Mars/Olympus_Mons' })).rejects.toThrow(/time zone/);
    await expect(queryRevenueSummary(ch, { ...ok, merchantId: "' OR 1=1 --" })).rejects.toThrow();
    await expect(queryRevenueSummary(ch, { ...ok, from: '2026-05-01; SELECT 1' })).rejects.toThrow();
    await expect(queryRevenueSummary(ch, { ...ok, from: '2026-05-06' })).rejects.toThrow(/before/);
    await expect(
      queryFunnel(ch, {
        ...ok,
        steps: [
          { type: 'session_start' },
          { type: 'session_start', filters: [{ field: 'user_id' as never, values: ['x'] }] },
        ],
      }),
    ).rejects.toThrow();
    await expect(
      queryFunnel(ch, { ...ok, steps: [{ type: 'session_start' }, { type: "turn' OR 1=1" }] }),
    ).rejects.toThrow();
  });
});

describe('transcripts', () => {
  it("a session's turns in order: requests, slots, speech, pitches heard and the order that followed", async () => {
    const mine = sortEvents(data.events.filter((e) => e.merchant_id === a));
    const paid = mine.filter((e) => e.type === 'payment_succeeded').map((e) => e.session_id);
    const someOthers = [
      ...new Set(mine.filter((e) => e.type === 'session_start').map((e) => e.session_id)),
    ].slice(0, 5);
    const sessions = [...new Set([...paid.slice(0, 5), ...someOthers])];
    expect(paid.length).toBeGreaterThan(0);
    for (const sessionId of sessions) {
      const t = await queryTranscript(ch, { merchantId: a, sessionId });
      const evs = mine.filter((e) => e.session_id === sessionId);
      const turns = evs.filter((e): e is Extract<PitchlineEvent, { type: 'turn' }> => e.type === 'turn');
      expect(t?.turns.map((x) => [x.ts, x.requestType, x.intent, x.speech, x.latencyMs])).toEqual(
        turns.map((x) => [x.ts, x.request_type, x.intent ?? '', x.response_ssml, x.latency_ms]),
      );
      expect(t?.turns.map((x) => x.slots.map((s) => [s.name, s.value, s.resolution]))).toEqual(
        turns.map((x) => x.slots.map((s) => [s.name, s.value, s.resolution])),
      );
      const heard = evs.flatMap((e) =>
        e.type === 'pitch_exposure' ? [`${e.experiment_key}:${e.variant_key}`] : [],
      );
      expect(t?.variantsHeard).toEqual([...new Set(heard)]);
      const others = evs.filter((e) => !['turn', 'session_start', 'session_end'].includes(e.type));
      const attached = [...(t?.turns.flatMap((x) => x.events) ?? []), ...(t?.afterDialog ?? [])];
      expect(attached.map((e) => [e.ts, e.type])).toEqual(others.map((e) => [e.ts, e.type]));
      // Every event sits with the turn that followed it: never after that turn.
      for (const turn of t?.turns ?? [])
        for (const e of turn.events) expect(e.ts).toBeLessThanOrEqual(turn.ts);
      const end = evs.find((e) => e.type === 'session_end');
      expect(t?.endReason).toBe(end && 'reason' in end ? end.reason : '');
      if (paid.includes(sessionId)) {
        const order = evs.find((e) => e.type === 'order_confirmed');
        expect(
          t?.afterDialog.some(
            (e) => e.type === 'payment_succeeded' && e.orderId === (order as { order_id: string }).order_id,
          ),
        ).toBe(true);
      }
    }
  });
});
