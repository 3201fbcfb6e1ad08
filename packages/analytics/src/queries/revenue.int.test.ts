import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryRevenueSummary } from './revenue.query';
import { queryRevenueBreakdown } from './revenue-breakdown.query';
import { queryRevenueByProduct } from './revenue-by-product.query';
import { bruteRevenue, bruteRevenueBy, bruteRevenueByProduct } from './testing/brute-revenue';
import { type GeneratedData, generateEvents } from './testing/generate';
import { insertGenerated } from './testing/insert';

let ch: TestClickHouse;
let data: GeneratedData;

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({
    seed: 11,
    merchants: 3,
    sessionsPerMerchant: 400,
    startMs: Date.parse('2026-03-01T00:00:00Z'),
    days: 8,
  });
  await insertGenerated(ch, data.events, 2500);
});
afterAll(async () => {
  await ch?.dispose();
});

const ranges = [
  { from: '2026-03-01', to: '2026-03-14', tz: 'UTC' },
  { from: '2026-03-03', to: '2026-03-06', tz: 'America/New_York' },
  { from: '2026-03-02', to: '2026-03-09', tz: 'Asia/Kathmandu' },
];

describe('revenue against a brute-force recomputation', () => {
  it('totals, orders, AOV and per-session / per-exposed-user revenue, per currency', async () => {
    for (const merchantId of data.merchants) {
      for (const r of ranges) {
        const p = { merchantId, ...r };
        const got = await queryRevenueSummary(ch, p);
        const want = bruteRevenue(data.events, p);
        expect(got.sessions).toBe(want.sessions);
        expect(got.exposedUsers).toBe(want.exposedUsers);
        expect(got.byCurrency.map((c) => c.currency)).toEqual([...want.byCurrency.keys()].sort());
        for (const c of got.byCurrency) {
          const w = want.byCurrency.get(c.currency);
          expect({ gross: c.gross, refunds: c.refunds, orders: c.orders }).toEqual(w);
          expect(c.net).toBe((w?.gross ?? 0) - (w?.refunds ?? 0));
          expect(c.averageOrderValue).toBeCloseTo((w?.gross ?? 0) / (w?.orders ?? 1), 9);
          expect(c.revenuePerSession).toBeCloseTo(c.net / want.sessions, 9);
          expect(c.revenuePerExposedUser).toBeCloseTo(c.net / want.exposedUsers, 9);
        }
      }
    }
    // Refunds happen days after the payment, so some exist in the full range.
    const all = await queryRevenueSummary(ch, {
      merchantId: data.merchants[0] as string,
      ...ranges[0],
    } as never);
    expect(all.byCurrency[0]?.refunds).toBeGreaterThan(0);
    expect(all.byCurrency[0]?.gross).toBeGreaterThan(all.byCurrency[0]?.refunds ?? 0);
  });

  it('by local day, session locale and variant heard', async () => {
    for (const by of ['day', 'locale', 'variant'] as const) {
      for (const r of ranges) {
        for (const experimentKey of by === 'variant' ? [undefined, 'price-anchor'] : [undefined]) {
          const p = {
            merchantId: data.merchants[1] as string,
            ...r,
            by,
            ...(experimentKey ? { experimentKey } : {}),
          };
          const got = await queryRevenueBreakdown(ch, p);
          const want = bruteRevenueBy(data.events, p);
          expect(
            new Map(
              got.map((g) => [
                `${g.key}|${g.currency}`,
                { gross: g.gross, refunds: g.refunds, orders: g.orders },
              ]),
            ),
          ).toEqual(want);
          expect(got.length).toBeGreaterThan(1);
        }
      }
    }
  });

  it('cart value by product in paid sessions', async () => {
    for (const r of ranges) {
      const p = { merchantId: data.merchants[2] as string, ...r };
      const got = await queryRevenueByProduct(ch, p);
      const want = bruteRevenueByProduct(data.events, p);
      expect(
        new Map(got.map((g) => [`${g.productId}|${g.currency}`, { amount: g.amount, sessions: g.sessions }])),
      ).toEqual(new Map([...want].map(([k, v]) => [k, { amount: v.amount, sessions: v.sessions.size }])));
      expect(got.length).toBeGreaterThan(0);
    }
  });
});
