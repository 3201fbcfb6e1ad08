import type { PitchlineEvent } from '@pitchline/core';
import { merchants, orderItems, orders, products, skills } from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryRevenueSummary } from './revenue.query';
import { queryRevenueBreakdown } from './revenue-breakdown.query';
import { mulberry32, seededUuid } from './testing/generate';
import { insertGenerated } from './testing/insert';

/*
 * Orders in Postgres are the source of truth for money. This writes orders the way the skill leaves them
 * (paid, partly or fully refunded, failed, pending, canceled) together with the events the skill records
 * for them, and checks that ClickHouse revenue equals what the orders table says, to the cent, per
 * currency and per local day in the merchant's zone (Postgres does its own time-zone arithmetic).
 */

let pg: TestDatabase;
let ch: TestClickHouse;
const TZ = 'America/Chicago';
const merchantIds = ['0195a3c4-1111-7000-8000-000000000001', '0195a3c4-2222-7000-8000-000000000002'];

beforeAll(async () => {
  [pg, ch] = await Promise.all([openTestDatabase('pglite'), openTestClickHouse()]);
  const rand = mulberry32(99);
  const events: PitchlineEvent[] = [];
  const start = Date.parse('2026-03-01T00:00:00Z');
  for (const [m, merchantId] of merchantIds.entries()) {
    const currency = m === 0 ? 'USD' : 'EUR';
    const skillId = `amzn1.ask.skill.reconcile-${m}`;
    await pg.db.insert(merchants).values({ id: merchantId, name: `Merchant ${m}`, timezone: TZ, currency });
    await pg.db.insert(skills).values({ id: skillId, merchantId, name: 'Shop' });
    const catalog = Array.from({ length: 4 }, (_, i) => ({
      id: seededUuid(rand),
      merchantId,
      name: `Product ${i}`,
      category: 'Coffee',
      priceAmount: 199 + Math.floor(rand() * 4000),
      currency,
      defaultPitch: '{{product}} for {{price}}.',
    }));
    await pg.db.insert(products).values(catalog);
    for (let i = 0; i < 80; i++) {
      const id = seededUuid(rand);
      const userId = `user-${Math.floor(rand() * 20)}`;
      const sessionId = `session-${m}-${i}`;
      const lines = catalog
        .filter(() => rand() < 0.5)
        .map((p) => ({ p, quantity: 1 + Math.floor(rand() * 3) }));
      if (lines.length === 0) lines.push({ p: catalog[0] as (typeof catalog)[0], quantity: 1 });
      const amountTotal = lines.reduce((a, l) => a + l.p.priceAmount * l.quantity, 0);
      const createdAt = start + Math.floor(rand() * 10 * 86_400_000);
      const r = rand();
      const status =
        r < 0.5
          ? 'paid'
          : r < 0.62
            ? 'partially_refunded'
            : r < 0.72
              ? 'refunded'
              : r < 0.82
                ? 'failed'
                : r < 0.92
                  ? 'pending'
                  : 'canceled';
      const paid = ['paid', 'partially_refunded', 'refunded'].includes(status);
      const paidAt = paid ? createdAt + 1000 + Math.floor(rand() * 20 * 3_600_000) : null;
      const refunded =
        status === 'refunded'
          ? amountTotal
          : status === 'partially_refunded'
            ? 1 + Math.floor(rand() * (amountTotal - 1))
            : 0;
      const attribution = rand() < 0.7 ? [`voice-pitch:${rand() < 0.5 ? 'control' : 'story'}`] : [];
      await pg.db.insert(orders).values({
        id,
        merchantId,
        skillId,
        userId,
        sessionId,
        status: status as 'paid',
        amountTotal,
        currency,
        refundedAmount: refunded,
        attribution,
        createdAt: new Date(createdAt),
        paidAt: paidAt === null ? null : new Date(paidAt),
      });
      await pg.db.insert(orderItems).values(
        lines.map((l) => ({
          orderId: id,
          productId: l.p.id,
          name: l.p.name,
          unitAmount: l.p.priceAmount,
          quantity: l.quantity,
          currency,
        })),
      );
      const base = { merchant_id: merchantId, skill_id: skillId, user_id: userId, session_id: sessionId };
      const order = { order_id: id, amount: amountTotal, currency, variants: attribution };
      events.push({ ...base, event_id: seededUuid(rand), ts: createdAt, type: 'order_confirmed', ...order });
      if (status === 'failed')
        events.push({
          ...base,
          event_id: seededUuid(rand),
          ts: createdAt + 500,
          type: 'payment_failed',
          ...order,
        });
      if (paidAt !== null) {
        events.push({ ...base, event_id: seededUuid(rand), ts: paidAt, type: 'payment_succeeded', ...order });
        // Refunds arrive as increments (the skill records cumulative minus already refunded), sometimes in two.
        if (refunded > 0) {
          const first = refunded > 1 && rand() < 0.5 ? Math.floor(refunded / 2) : refunded;
          events.push({
            ...base,
            event_id: seededUuid(rand),
            ts: paidAt + 86_400_000,
            type: 'refund',
            ...order,
            amount: first,
          });
          if (first < refunded) {
            events.push({
              ...base,
              event_id: seededUuid(rand),
              ts: paidAt + 2 * 86_400_000,
              type: 'refund',
              ...order,
              amount: refunded - first,
            });
          }
        }
      }
    }
  }
  await insertGenerated(ch, events);
}, 120_000);

afterAll(async () => {
  await Promise.all([pg?.close(), ch?.dispose()]);
});

describe('ClickHouse revenue reconciles with the orders table', () => {
  it('gross, refunds, net and paid orders, to the cent, per merchant', async () => {
    for (const merchantId of merchantIds) {
      const { rows } = await pg.db.execute<{
        currency: string;
        gross: string;
        refunds: string;
        orders: string;
      }>(sql`
        select currency, coalesce(sum(amount_total) filter (where paid_at is not null), 0) as gross,
          coalesce(sum(refunded_amount), 0) as refunds, count(*) filter (where paid_at is not null) as orders
        from orders where merchant_id = ${merchantId} group by currency`);
      const summary = await queryRevenueSummary(ch, {
        merchantId,
        from: '2026-02-01',
        to: '2026-04-30',
        tz: TZ,
      });
      expect(
        summary.byCurrency.map((c) => ({
          currency: c.currency,
          gross: c.gross,
          refunds: c.refunds,
          orders: c.orders,
        })),
      ).toEqual(
        rows.map((r) => ({
          currency: r.currency,
          gross: Number(r.gross),
          refunds: Number(r.refunds),
          orders: Number(r.orders),
        })),
      );
      expect(summary.byCurrency[0]?.refunds).toBeGreaterThan(0);
      expect(summary.byCurrency[0]?.net).toBe(Number(rows[0]?.gross) - Number(rows[0]?.refunds));
    }
  });

  it("gross and orders per day in the merchant's time zone", async () => {
    const merchantId = merchantIds[0] as string;
    const { rows } = await pg.db.execute<{ day: string; gross: string; orders: string }>(sql`
      select to_char((paid_at at time zone ${TZ})::date, 'YYYY-MM-DD') as day, sum(amount_total) as gross, count(*) as orders
      from orders where merchant_id = ${merchantId} and paid_at is not null group by 1 order by 1`);
    const byDay = await queryRevenueBreakdown(ch, {
      merchantId,
      from: '2026-02-01',
      to: '2026-04-30',
      tz: TZ,
      by: 'day',
    });
    const got = byDay
      .filter((d) => d.orders > 0)
      .map((d) => ({ day: d.key, gross: d.gross, orders: d.orders }));
    expect(got).toEqual(rows.map((r) => ({ day: r.day, gross: Number(r.gross), orders: Number(r.orders) })));
    expect(got.length).toBeGreaterThan(5);
  });
});
