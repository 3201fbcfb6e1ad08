import { afterAll, describe, expect, it } from 'vitest';
import { migrateClickHouse } from '../migrate';
import { queryFunnel } from '../queries/funnel.query';
import { type FunnelInput, funnelSpecSchema } from '../queries/funnel-spec';
import { bruteFunnel } from '../queries/testing/brute-funnel';
import { generateEvents } from '../queries/testing/generate';
import { insertGenerated } from '../queries/testing/insert';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { sessionFunnelStatements } from './0004_session_funnel';
import { MIGRATIONS } from './index';

let ch: TestClickHouse | undefined;
afterAll(async () => {
  await ch?.dispose();
});

describe('migration 0004 on an install that already has events', () => {
  it('backfills session_funnel, keeps it exact as the view adds later events, and a second backfill changes nothing', async () => {
    ch = await openTestClickHouse({ migrate: false });
    await migrateClickHouse(
      ch,
      MIGRATIONS.filter((m) => m.version < 4),
    );
    const data = generateEvents({
      seed: 23,
      merchants: 2,
      sessionsPerMerchant: 300,
      startMs: Date.parse('2026-03-01T00:00:00Z'),
      days: 4,
    });
    // Half the events before the migration, half after: sessions straddle the cut, so a session's row
    // from the backfill must merge with rows the view writes later (a late payment, a late exposure).
    const half = Math.floor(data.events.length / 2);
    await insertGenerated(ch, data.events.slice(0, half), 1500);
    // Later migrations are not what this test is about (0005 has its own).
    const applied = await migrateClickHouse(
      ch,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    expect(applied.map((m) => m.version)).toEqual([4]);
    await insertGenerated(ch, data.events.slice(half), 1500);

    const merchantId = data.merchants[0] as string;
    const input: FunnelInput = {
      merchantId,
      from: '2026-03-01',
      to: '2026-03-04',
      tz: 'Europe/Berlin',
      steps: ['session_start', 'pitch_exposure', 'cart_add', 'order_confirmed', 'payment_succeeded'].map(
        (type) => ({ type }),
      ),
      breakdown: 'variant',
    };
    const expected = bruteFunnel(data.events, funnelSpecSchema.parse(input));
    const check = async () => {
      const got = await queryFunnel(ch as TestClickHouse, input);
      expect(got.source).toBe('rollup');
      expect(new Map(got.groups.map((g) => [g.group, g.steps.map((s) => s.count)]))).toEqual(
        new Map(expected.map((g) => [g.group === '' ? '(none)' : g.group, g.counts])),
      );
    };
    await check();
    expect(expected.reduce((a, g) => a + (g.counts[4] ?? 0), 0)).toBeGreaterThan(0);

    // Re-running the backfill (an interrupted migration run again, or events the view also saw) doubles
    // every row; min / max / any make the doubles merge to the same session.
    const backfill = sessionFunnelStatements({ database: ch.database }).at(-1) as string;
    await ch.client.command({ query: backfill });
    await check();
  });
});
