import { timeZoneOffsetMs } from '@pitchline/core/time-zone';
import { describe, expect, it } from 'vitest';
import { DEMO_EXPERIMENT, parseSimulatorConfig, truthFor } from './config';
import { historyWindow, makeShoppers, planVisits } from './plan';
import { createRng } from './rng';

const HOUR = 3_600_000;
const NY = 'America/New_York';

describe('rng', () => {
  it('gives the same stream for the same seed and labels, another for others', () => {
    const a = createRng('s', 'x', 1);
    const b = createRng('s', 'x', 1);
    const c = createRng('s', 'x', 2);
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.next());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('draws weighted keys in proportion to their weights', () => {
    const rng = createRng('weights');
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[rng.weighted({ a: 1, b: 2, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.85);
    expect(counts.b / counts.a).toBeLessThan(2.15);
  });
});

// Offsets and local midnights are core's time-zone module, tested there (DST days included).
describe('the replayed window', () => {
  it('replays whole local days that end where today begins', () => {
    const now = Date.UTC(2026, 10, 27, 15, 30);
    const w = historyWindow(now, 30, NY);
    expect(w.end).toBe(Date.UTC(2026, 10, 27, 5));
    // 30 local days back across the DST change on 2026-11-01: 30 × 24 h plus the extra hour.
    expect(w.end - w.start).toBe(30 * 24 * HOUR + HOUR);
  });
});

describe('plan', () => {
  const config = parseSimulatorConfig({ shoppers: 400, days: 14, seed: 'plan-test' });
  const window = historyWindow(Date.UTC(2026, 10, 27, 15), config.days, config.timeZone);

  it('is the same for the same config', () => {
    expect(planVisits(config, window)).toEqual(planVisits(config, window));
    expect(makeShoppers(config)).toEqual(makeShoppers(config));
  });

  it('mixes locales, devices and linked accounts as configured', () => {
    const shoppers = makeShoppers(parseSimulatorConfig({ shoppers: 4000, seed: 'mix' }));
    const share = (pred: (s: (typeof shoppers)[number]) => boolean) => shoppers.filter(pred).length / 4000;
    expect(share((s) => s.locale === 'en-US')).toBeCloseTo(0.8, 1);
    expect(share((s) => s.locale === 'en-GB')).toBeGreaterThan(0.05);
    expect(share((s) => s.screen)).toBeCloseTo(0.4, 1);
    expect(share((s) => s.accessToken !== undefined)).toBeCloseTo(0.9, 1);
    expect(new Set(shoppers.map((s) => s.alexaUserId)).size).toBe(4000);
  });

  it('puts every visit inside the window, in order, busier in the evening than at night', () => {
    const visits = planVisits(config, window);
    expect(visits.length).toBeGreaterThan(config.shoppers);
    for (const [i, v] of visits.entries()) {
      expect(v.at).toBeGreaterThanOrEqual(window.start);
      expect(v.at).toBeLessThanOrEqual(window.end - 1_800_000);
      if (i > 0) expect(v.at).toBeGreaterThanOrEqual((visits[i - 1] as (typeof visits)[number]).at);
    }
    const localHour = (t: number) => new Date(t + timeZoneOffsetMs(t, NY)).getUTCHours();
    const at = (h: number) => visits.filter((v) => localHour(v.at) === h).length;
    expect(at(19)).toBeGreaterThan(5 * at(3));
  });

  it('brings some shoppers back on a later LOCAL day, not merely later', () => {
    const visits = planVisits(config, window);
    const returns = visits.filter((v) => v.visit > 0);
    expect(returns.length).toBeGreaterThan(0);
    // The calendar date in the shop's zone (en-CA formats it as YYYY-MM-DD, which sorts as dates do).
    const localDate = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: NY }).format(t);
    for (const r of returns) {
      const earlier = visits.find((v) => v.shopper.index === r.shopper.index && v.visit === r.visit - 1);
      expect(earlier).toBeDefined();
      expect(localDate(r.at) > localDate((earlier as (typeof visits)[number]).at)).toBe(true);
    }
  });
});

describe('truth', () => {
  it('applies each variant’s true effect to the base rates', () => {
    const config = parseSimulatorConfig({ experiment: DEMO_EXPERIMENT, basePurchase: 0.1 });
    expect(truthFor(config, 'control')).toEqual({ purchase: 0.1, stopAfterPitch: 0.12 });
    expect(truthFor(config, 'b').purchase).toBeCloseTo(0.2);
    expect(truthFor(config, 'c').purchase).toBeCloseTo(0.05);
    expect(truthFor(config, 'c').stopAfterPitch).toBe(0.4);
    expect(truthFor(config, undefined).purchase).toBe(0.1);
  });
});
