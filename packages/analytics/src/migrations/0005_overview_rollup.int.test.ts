import { randomUUID } from 'node:crypto';
import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseInserter } from '../clickhouse-inserter';
import { toEventRow } from '../event-row';
import { intentLabel } from '../metrics/catalogue';
import { migrateClickHouse } from '../migrate';
import { queryDialogHealth } from '../queries/dialog-health.query';
import { queryOverview } from '../queries/overview.query';
import { bucketsTileRange } from '../queries/overview-rollup';
import { queryRevenueSummary } from '../queries/revenue.query';
import { queryRevenueBreakdown } from '../queries/revenue-breakdown.query';
import { bruteDialogHealth, bruteTopIntents } from '../queries/testing/brute-insights';
import { bruteRevenue, bruteRevenueBy } from '../queries/testing/brute-revenue';
import { generateEvents } from '../queries/testing/generate';
import { insertGenerated } from '../queries/testing/insert';
import { queryTopIntents } from '../queries/top-intents.query';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { overviewRollupStatements } from './0005_overview_rollup';
import { MIGRATIONS } from './index';

let ch: TestClickHouse;
let all: PitchlineEvent[];
let merchants: string[];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Ranges across the DST changes of March/April 2026 (New York 8 Mar, Berlin 29 Mar, and on 5 Apr Auckland,
 * Adelaide +10:30 → +09:30, Lord Howe +11:00 → +10:30, Chatham +13:45 → +12:45), half-hour and
 * quarter-hour zones. `tiles`: whether the rollup's 30-minute buckets can answer, i.e. whether the queries
 * below exercise the rollup or the raw fallback.
 */
const CASES = [
  { from: '2026-03-01', to: '2026-04-10', tz: 'UTC', tiles: true },
  { from: '2026-03-05', to: '2026-03-12', tz: 'America/New_York', tiles: true },
  { from: '2026-03-27', to: '2026-04-02', tz: 'Europe/Berlin', tiles: true },
  { from: '2026-04-03', to: '2026-04-07', tz: 'Pacific/Auckland', tiles: true },
  { from: '2026-04-01', to: '2026-04-08', tz: 'Australia/Adelaide', tiles: true },
  { from: '2026-04-01', to: '2026-04-08', tz: 'Australia/Lord_Howe', tiles: true },
  { from: '2026-03-02', to: '2026-03-09', tz: 'Asia/Kolkata', tiles: true },
  { from: '2026-03-02', to: '2026-03-09', tz: 'Asia/Kathmandu', tiles: false },
  { from: '2026-04-01', to: '2026-04-08', tz: 'Pacific/Chatham', tiles: false },
] as const;

function clone<T extends PitchlineEvent>(e: T, patch: Partial<PitchlineEvent>): PitchlineEvent {
  return { ...e, event_id: randomUUID(), ...patch } as PitchlineEvent;
}

beforeAll(async () => {
  ch = await openTestClickHouse({ migrate: false });
  await migrateClickHouse(
    ch,
    MIGRATIONS.filter((m) => m.version < 5),
  );
  const data = generateEvents({
    seed: 41,
    merchants: 2,
    sessionsPerMerchant: 300,
    startMs: Date.parse('2026-03-01T00:00:00Z'),
    days: 38,
  });
  merchants = data.merchants;
  // Half the events exist before the migration (the backfill summarises them), half arrive after (the view).
  const half = Math.floor(data.events.length / 2);
  const before = data.events.slice(0, half);
  await insertGenerated(ch, before, 1500);
  const applied = await migrateClickHouse(ch);
  expect(applied.map((m) => m.version)).toContain(5);

  // Late events for sessions the backfill already summarised: a second payment an hour and a half after
  // the session's first, a refund four days after it, and intents with hostile names.
  const pay = before.find((e) => e.type === 'payment_succeeded');
  const refund = before.find((e) => e.type === 'refund');
  const turn = before.find((e) => e.type === 'turn' && e.request_type === 'IntentRequest');
  if (!pay || !refund || !turn) throw new Error('the generated data has no payment, refund or intent turn');
  const late = [
    clone(pay, { ts: pay.ts + 1.5 * HOUR, order_id: randomUUID(), amount: 1234 } as Partial<PitchlineEvent>),
    clone(refund, {
      ts: pay.ts + 4 * DAY,
      session_id: pay.session_id,
      amount: 777,
    } as Partial<PitchlineEvent>),
    ...["'; DROP TABLE events; --", '{merchantId:UUID}', 'Ünïcödé\\Intent'].flatMap((intent, i) =>
      Array.from({ length: 3 + i }, (_, k) =>
        clone(turn, { ts: turn.ts + (k + 1) * 60_000, intent } as Partial<PitchlineEvent>),
      ),
    ),
  ];
  await insertGenerated(ch, [...data.events.slice(half), ...late], 1500);
  all = [...data.events, ...late];
}, 120_000);

afterAll(async () => {
  await ch?.dispose();
});

/** Every overview query, rollup (auto) against raw events against brute force, per merchant and range. */
async function expectExact(): Promise<void> {
  for (const merchantId of merchants) {
    for (const { tiles, ...r } of CASES) {
      const p = { merchantId, ...r };
      expect(await bucketsTileRange(ch, r)).toBe(tiles);

      const summary = await queryRevenueSummary(ch, p);
      expect(summary).toEqual(await queryRevenueSummary(ch, p, { source: 'events' }));
      const want = bruteRevenue(all, p);
      expect([summary.sessions, summary.exposedUsers]).toEqual([want.sessions, want.exposedUsers]);
      expect(
        new Map(
          summary.byCurrency.map((c) => [
            c.currency,
            { gross: c.gross, refunds: c.refunds, orders: c.orders },
          ]),
        ),
      ).toEqual(want.byCurrency);

      const byDay = await queryRevenueBreakdown(ch, { ...p, by: 'day' });
      expect(byDay).toEqual(await queryRevenueBreakdown(ch, { ...p, by: 'day' }, { source: 'events' }));
      expect(
        new Map(
          byDay.map((g) => [
            `${g.key}|${g.currency}`,
            { gross: g.gross, refunds: g.refunds, orders: g.orders },
          ]),
        ),
      ).toEqual(bruteRevenueBy(all, { ...p, by: 'day' }));

      const health = await queryDialogHealth(ch, p);
      expect(health).toEqual(await queryDialogHealth(ch, p, { source: 'events' }));
      const wantHealth = bruteDialogHealth(all, p);
      expect(health).toEqual({
        ...wantHealth,
        fallbackRate: expect.closeTo(wantHealth.fallbackRate, 12),
        unhandledRate: expect.closeTo(wantHealth.unhandledRate, 12),
      });

      for (const limit of [3, 50]) {
        const top = await queryTopIntents(ch, { ...p, limit });
        expect(top).toEqual(await queryTopIntents(ch, { ...p, limit }, { source: 'events' }));
        const wantTop = bruteTopIntents(all, { ...p, limit });
        expect(top.map(({ share, ...t }) => t)).toEqual(
          wantTop.map(({ share, ...t }) => ({ ...t, label: intentLabel(t.intent) })),
        );
      }
    }
  }
}

describe('migration 0005 (overview rollup) on an install that already has events', () => {
  it('backfill + view answer exactly what the raw events do, late payments and refunds on their own day, quarter-hour zones from the raw events', async () => {
    await expectExact();
    // The cases are not vacuous: money, refunds, fallbacks, the late events and the hostile intents are in them.
    const [first] = merchants;
    const summary = await queryRevenueSummary(ch, { merchantId: first as string, ...CASES[0] });
    expect(summary.byCurrency[0]?.refunds).toBeGreaterThan(0);
    const late = all.filter((e) => e.type === 'refund' && e.amount === 777)[0] as PitchlineEvent;
    const lateTop = await queryTopIntents(ch, { merchantId: late.merchant_id, ...CASES[0], limit: 50 });
    expect(lateTop.map((t) => t.intent)).toEqual(
      expect.arrayContaining(["'; DROP TABLE events; --", '{merchantId:UUID}', 'Ünïcödé\\Intent']),
    );
    const overview = await queryOverview(ch, { merchantId: first as string, ...CASES[1] });
    expect(overview.revenue).toEqual(
      await queryRevenueSummary(ch, { merchantId: first as string, ...CASES[1] }, { source: 'events' }),
    );
  });

  it('a migration interrupted during its backfill and run again does not double-count', async () => {
    // What a restart does after a crash between the view and the record: every statement again.
    for (const statement of overviewRollupStatements({ database: ch.database })) {
      await ch.client.command({ query: statement });
    }
    await expectExact();
  });

  it('a batch the EventWriter retries (same deduplication token) is counted once', async () => {
    const [merchantId] = merchants as [string];
    const p = { merchantId, from: '2026-05-01', to: '2026-05-01', tz: 'UTC' };
    const turn = all.find((e) => e.type === 'turn' && e.merchant_id === merchantId) as PitchlineEvent;
    const start = all.find(
      (e) => e.type === 'session_start' && e.merchant_id === merchantId,
    ) as PitchlineEvent;
    // Five sessions of one turn each: a session counts from its session_start (metric `sessions`).
    const batch = Array.from({ length: 5 }, (_, i) => {
      const ts = Date.parse('2026-05-01T10:00:00Z') + i * 1000;
      return [
        clone(start, { ts, session_id: `retry-${i}` }),
        clone(turn, { ts: ts + 500, session_id: `retry-${i}` }),
      ];
    }).flat();
    const insert = clickHouseInserter(ch);
    const body = Buffer.from(batch.map((e) => `${JSON.stringify(toEventRow(e))}\n`).join(''));
    const segment = { token: `retry-${randomUUID()}`, body, events: batch.length };
    await insert(segment as Parameters<typeof insert>[0]);
    await insert(segment as Parameters<typeof insert>[0]);
    const health = await queryDialogHealth(ch, p);
    expect(health.turns).toBe(5);
    expect(health.sessions).toBe(5);
    expect(await queryDialogHealth(ch, p, { source: 'events' })).toEqual(health);
  });

  it('whole- and half-hour zones read the rollup, the others the raw events (a row planted in the rollup shows which)', async () => {
    const [merchantId] = merchants as [string];
    await ch.client.insert({
      table: `${ch.database}.overview_rollup`,
      values: [
        {
          merchant_id: merchantId,
          kind: 'totals',
          bucket: '2026-03-03 10:00:00',
          dim: '',
          session_starts: 1000,
        },
      ],
      format: 'JSONEachRow',
    });
    for (const { tiles, ...r } of CASES) {
      const p = { merchantId, ...r, from: '2026-03-02', to: '2026-03-04' };
      const raw = await queryRevenueSummary(ch, p, { source: 'events' });
      const auto = await queryRevenueSummary(ch, p);
      expect(auto.sessions - raw.sessions).toBe((await bucketsTileRange(ch, p)) ? 1000 : 0);
    }
    // A tenant never sees another's rows, planted or not.
    const other = await queryRevenueSummary(ch, { merchantId: merchants[1] as string, ...CASES[0] });
    expect(other).toEqual(
      await queryRevenueSummary(
        ch,
        { merchantId: merchants[1] as string, ...CASES[0] },
        { source: 'events' },
      ),
    );
  });
});
