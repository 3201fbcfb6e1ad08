import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentLabel } from '../metrics/catalogue';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryCatalogGaps } from './catalog-gaps.query';
import { queryDialogHealth } from './dialog-health.query';
import { queryExitPoints } from './exit-points.query';
import { queryRejectedRequests } from './rejected-requests.query';
import { querySkillLatency } from './skill-latency.query';
import {
  bruteCatalogGaps,
  bruteDialogHealth,
  bruteExitPoints,
  bruteLatency,
  bruteRejected,
  bruteTopIntents,
  bruteTurnsToPurchase,
} from './testing/brute-insights';
import { type GeneratedData, generateEvents, WANTED } from './testing/generate';
import { insertGenerated } from './testing/insert';
import { quantileExact } from './testing/quantile-exact';
import { queryTopIntents } from './top-intents.query';
import { queryTurnsToPurchase } from './turns-to-purchase.query';

let ch: TestClickHouse;
let data: GeneratedData;

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({
    seed: 23,
    merchants: 2,
    sessionsPerMerchant: 400,
    startMs: Date.parse('2026-04-01T00:00:00Z'),
    days: 5,
  });
  await insertGenerated(ch, data.events, 4000);
});
afterAll(async () => {
  await ch?.dispose();
});

const cases = () =>
  data.merchants.flatMap((merchantId) => [
    { merchantId, from: '2026-04-01', to: '2026-04-10', tz: 'UTC', limit: 50 },
    { merchantId, from: '2026-04-02', to: '2026-04-03', tz: 'Pacific/Auckland', limit: 3 },
  ]);

describe('voice insights against a brute-force recomputation', () => {
  it('top intents, fallback and unhandled rates', async () => {
    for (const p of cases()) {
      const top = await queryTopIntents(ch, p);
      const want = bruteTopIntents(data.events, p);
      // Labels are words for the intent, not a figure: the counts are compared, and each label is its intent's.
      expect(top.map(({ share, label, ...r }) => r)).toEqual(want.map(({ share, ...r }) => r));
      for (const t of top) expect(t.label).toBe(intentLabel(t.intent));
      for (const [i, t] of top.entries()) expect(t.share).toBeCloseTo(want[i]?.share ?? -1, 12);
      const health = await queryDialogHealth(ch, p);
      const wantHealth = bruteDialogHealth(data.events, p);
      expect(health).toEqual({
        ...wantHealth,
        fallbackRate: expect.closeTo(wantHealth.fallbackRate, 12),
        unhandledRate: expect.closeTo(wantHealth.unhandledRate, 12),
      });
      expect(health.fallbackTurns).toBeGreaterThan(0);
      expect(health.unhandledTurns).toBeGreaterThan(0);
    }
  });

  it('catalog gaps: no-match values counted, hostile text comes back verbatim', async () => {
    for (const p of cases()) {
      const gaps = await queryCatalogGaps(ch, p);
      expect(gaps).toEqual(bruteCatalogGaps(data.events, p));
    }
    const all = await queryCatalogGaps(ch, cases()[0] as never);
    expect(all.map((g) => g.value).sort()).toEqual([...WANTED].map((w) => w.toLowerCase()).sort());
  });

  it('exit points: reasons and the last prompt', async () => {
    for (const p of cases()) {
      const got = await queryExitPoints(ch, p);
      const want = bruteExitPoints(data.events, p);
      expect(got.sessionsEnded).toBe(want.sessionsEnded);
      expect(got.byReason.map(({ share, label, ...r }) => r)).toEqual(
        want.byReason.map(({ share, ...r }) => r),
      );
      expect(got.lastPrompts.map(({ label, ...r }) => r)).toEqual(want.lastPrompts);
      // Every session of the range is under some reason: the total is the range's session count.
      expect(got.sessionsEnded).toBe((await queryDialogHealth(ch, p)).sessions);
    }
  });

  it('turns to purchase', async () => {
    for (const p of cases()) {
      const got = await queryTurnsToPurchase(ch, p);
      const counts = bruteTurnsToPurchase(data.events, p);
      expect(got.sessions).toBe(counts.length);
      expect(got.median).toBe(quantileExact(counts, 0.5));
      expect(got.p90).toBe(quantileExact(counts, 0.9));
      expect(got.mean).toBeCloseTo(counts.reduce((a, b) => a + b, 0) / counts.length, 9);
      expect(got.sessions).toBeGreaterThan(0);
    }
  });

  it('skill latency percentiles, overall and per request type; rejected requests by reason', async () => {
    for (const p of cases()) {
      const got = await querySkillLatency(ch, p);
      const want = bruteLatency(data.events, p);
      expect(new Map(got.map(({ requestType, ...r }) => [requestType, r]))).toEqual(want);
      expect(await queryRejectedRequests(ch, p)).toEqual(bruteRejected(data.events, p));
    }
  });
});
