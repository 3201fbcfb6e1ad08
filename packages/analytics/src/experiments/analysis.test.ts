import { stats } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { analyseExperiment } from './analysis';
import { resultsOptionsSchema } from './config';
import { ArmAccumulator, type SimUser } from './testing/look-stats';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

const options = (over: Record<string, unknown> = {}, alpha?: number) =>
  resultsOptionsSchema.parse({
    merchantId: '0190a000-0000-7000-8000-00000000a001',
    ...(alpha !== undefined ? { alpha } : {}),
    now: START + 14 * DAY,
    experiment: {
      id: '0190a000-0000-7000-8000-0000000e0009',
      key: 'simpson',
      variants: [
        { key: 'a', weight: 1, isControl: true },
        { key: 'b', weight: 4, isControl: false },
      ],
      primaryMetric: 'conversion',
      conversionWindowHours: 24,
      startedAt: START,
      ...over,
    },
  });

/** `count` users logged with probability p, `converted` of whom bought. */
const users = (count: number, converted: number, p: number): SimUser[] =>
  Array.from({ length: count }, (_, i) => ({ p, conv: i < converted ? 1 : 0 }));

function analyse(arms: Record<string, SimUser[]>, over: Record<string, unknown> = {}, alpha?: number) {
  const rows = Object.entries(arms).map(([key, list]) => {
    const acc = new ArmAccumulator(key);
    for (const u of list) acc.add(u);
    return acc.snapshot(1);
  });
  return analyseExperiment({
    options: options(over, alpha),
    cutoffs: [START + 14 * DAY],
    rows,
    exposures: new Map(rows.map((r) => [r.variant, r.n])),
    // Both splits were followed exactly: observed = expected.
    srmCounts: rows.map((r) => ({ arm: r.variant, observed: r.n, expected: r.n })),
  });
}

describe('analyseExperiment: a fixed split edited mid-run (Simpson’s paradox)', () => {
  // Week 1 at 50/50 with a 10 % conversion rate; the split is edited to 20/80 for week 2, when every
  // shopper converts at 20 %. Both arms are identical: the truth is 15 % each (half the users each week).
  const arms = {
    a: [...users(500, 50, 0.5), ...users(200, 40, 0.2)],
    b: [...users(500, 50, 0.5), ...users(800, 160, 0.8)],
  };

  it('plain pooled means are biased toward the arm that got the good week; Hájek weights are not', () => {
    const plainA = 90 / 700;
    const plainB = 210 / 1300;
    // What pooling would say: b "lifts" conversion by 26 %.
    expect(plainB / plainA - 1).toBeCloseTo(0.256, 3);

    const r = analyse(arms);
    expect(r.weighting.method).toBe('ipw');
    expect(r.weighting.reason).toContain('a 20.0%–50.0%');
    expect(r.weighting.reason).toContain('b 50.0%–80.0%');
    const [a, b] = r.variants.map((v) => v.metrics[0]);
    // Σ(y/p)/Σ(1/p): a = (50·2 + 40·5)/(500·2 + 200·5) = 0.15; b = (50·2 + 160·1.25)/(500·2 + 800·1.25) = 0.15.
    expect(a?.method).toBe('ipw');
    expect(a?.value).toBeCloseTo(0.15, 12);
    expect(b?.value).toBeCloseTo(0.15, 12);
    expect(b?.vsControl?.difference).toBeCloseTo(0, 12);
    expect(r.verdict.decision).not.toBe('ship');
    expect(r.srm).toMatchObject({ status: 'ok', weightsChanged: true });
  });

  it('keeps plain means (and says so) when no arm’s share ever changed', () => {
    const r = analyse({ a: users(700, 90, 0.5), b: users(1300, 210, 0.5) });
    expect(r.weighting.method).toBe('plain');
    expect(r.variants[0]?.metrics[0]).toMatchObject({ method: 'proportion', value: 90 / 700 });
    expect(r.srm.weightsChanged).toBe(false);
  });

  it('bandit mode weights even when the shares happened not to move', () => {
    const r = analyse({ a: users(700, 90, 0.5), b: users(1300, 210, 0.5) }, { mode: 'bandit' });
    expect(r.weighting.method).toBe('ipw');
    expect(r.variants[0]?.metrics[0]?.method).toBe('ipw');
  });
});

describe('analyseExperiment: significance at α', () => {
  it('an adjusted p-value exactly at α is significant (reject at p ≤ α, as Holm 1979 and statsmodels)', () => {
    const arms = { a: users(2000, 200, 0.5), b: users(2000, 260, 0.5) };
    const first = analyse(arms);
    const p = first.variants[1]?.metrics[0]?.vsControl?.adjustedPValue as number;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.5);
    const atAlpha = analyse(arms, {}, p);
    const cmp = atAlpha.variants[1]?.metrics[0]?.vsControl;
    expect(cmp?.adjustedPValue).toBe(p);
    expect(cmp?.significant).toBe(true);
    expect(cmp?.direction).toBe('better');
    expect(atAlpha.verdict).toMatchObject({ decision: 'ship', variant: 'b' });
  });
});

describe('analyseExperiment: arms without enough data are reported, never fed to the tests', () => {
  /** Every number in the results that is not finite, with its path (NaN and ±Infinity never reach a page). */
  const nonFinite = (x: unknown, path = 'results'): string[] => {
    if (typeof x === 'number') return Number.isFinite(x) ? [] : [`${path} = ${x}`];
    if (Array.isArray(x)) return x.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
    if (x !== null && typeof x === 'object')
      return Object.entries(x).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
    return [];
  };

  it.each(['fixed', 'bandit'])(
    '%s: a defined arm nobody was exposed to: no crash, its comparison says why',
    (mode) => {
      const r = analyse(
        { a: users(1500, 150, 0.5), b: users(1500, 190, 0.5), c: [] },
        {
          mode,
          variants: [
            { key: 'a', weight: 1, isControl: true },
            { key: 'b', weight: 1, isControl: false },
            { key: 'c', weight: 1, isControl: false },
          ],
          secondaryMetrics: ['revenue_per_user'],
          guardrailMetrics: ['fallback_rate'],
        },
      );
      const c = r.variants.find((v) => v.key === 'c');
      expect(c?.exposedUsers ?? 0).toBe(0);
      for (const m of c?.metrics ?? []) {
        expect(m.vsControl?.lift).toBeNull();
        expect(m.vsControl?.liftReason).toBe('not enough data to estimate');
      }
      expect(r.verdict.reason).not.toMatch(/Infinity|NaN/);
    },
  );

  it('a control that converted nobody: lift null with its reason in the results and the verdict', () => {
    const r = analyse({ a: users(1500, 0, 0.5), b: users(1500, 60, 0.5) });
    const b = r.variants.find((v) => v.key === 'b')?.metrics[0]?.vsControl;
    expect(b?.lift).toBeNull();
    expect(b?.liftReason).toBe('control has no conversions');
    expect(b?.liftCi).toBeNull();
    expect(r.verdict).toMatchObject({ decision: 'ship', variant: 'b' });
    expect(r.verdict.reason).toContain(
      'the relative lift is undefined because the control has no conversions',
    );
    expect(r.verdict.reason).not.toMatch(/Infinity|NaN/);
    expect(nonFinite(r.series)).toEqual([]);
    expect(nonFinite(b)).toEqual([]);
  });
});

describe('analyseExperiment: every metric carries its lift, lift interval and p-value', () => {
  const shopper = (i: number, rate: number, p: number): SimUser => {
    const conv = (i * 7919) % 1000 < rate * 1000 ? 1 : 0;
    return {
      p,
      conv,
      rev: conv ? 2000 + ((i * 31) % 900) : 0,
      turns: 2 + (i % 4),
      fallbacks: i % 5 === 0 ? 1 : 0,
    };
  };
  const arm = (n: number, rate: number, p: number) =>
    Array.from({ length: n }, (_, i) => shopper(i, rate, p));

  it.each(['fixed', 'bandit'])('%s: primary, secondary and guardrail metrics vs control', (mode) => {
    const r = analyse(
      { a: arm(3000, 0.1, 0.5), b: arm(3000, 0.13, 0.5) },
      { mode, secondaryMetrics: ['revenue_per_user'], guardrailMetrics: ['fallback_rate'] },
    );
    const metrics = r.variants.find((v) => v.key === 'b')?.metrics ?? [];
    expect(metrics.map((m) => m.role)).toEqual(['primary', 'secondary', 'guardrail']);
    for (const m of metrics) {
      const c = m.vsControl;
      expect(c?.lift, m.metric).toEqual(expect.any(Number));
      expect(c?.liftCi?.[0]).toBeLessThan(c?.lift as number);
      expect(c?.liftCi?.[1]).toBeGreaterThan(c?.lift as number);
      expect(c?.pValue).toBeGreaterThanOrEqual(0);
      expect(c?.pValue).toBeLessThanOrEqual(1);
      expect(c?.adjustedPValue).toBeGreaterThanOrEqual(c?.sequentialPValue as number);
    }
    // Revenue per user: the delta-method lift interval of the two arms' estimates (gbstats' formula).
    const rev = (key: string) => r.variants.find((v) => v.key === key)?.metrics[1];
    const se = (m: ReturnType<typeof rev>) =>
      ((m?.ci[1] as number) - (m?.value as number)) / stats.zCritical(0.05);
    const want = stats.relativeLiftInterval({
      treatment: { mean: rev('b')?.value as number, variance: se(rev('b')) ** 2 },
      control: { mean: rev('a')?.value as number, variance: se(rev('a')) ** 2 },
    });
    expect(rev('b')?.vsControl?.lift).toBeCloseTo(want.value as number, 12);
    expect(rev('b')?.vsControl?.liftCi?.[0]).toBeCloseTo(want.ci?.[0] as number, 6);
  });
});

describe('analyseExperiment: the always-valid interval of the relative lift', () => {
  it('accounts for the control mean’s own uncertainty (not the difference’s interval ÷ the control mean)', () => {
    // A small control rate estimated from few users: dividing by it as if it were known is too narrow.
    const r = analyse({ a: users(400, 20, 0.5), b: users(400, 28, 0.5) });
    const cmp = r.variants[1]?.metrics[0]?.vsControl;
    const control = r.variants[0]?.metrics[0]?.value as number;
    const naive = (cmp?.sequentialDifferenceCi ?? [0, 0]).map((x) => x / control);
    const lift = cmp?.sequentialLiftCi as [number, number];
    expect(lift[0]).toBeLessThan(cmp?.lift as number);
    expect(lift[1]).toBeGreaterThan(cmp?.lift as number);
    expect(lift[1] - lift[0]).toBeGreaterThan(((naive[1] as number) - (naive[0] as number)) * 1.1);
    // Wider than the fixed-horizon interval: it is valid at every look.
    expect(lift[1] - lift[0]).toBeGreaterThan((cmp?.liftCi?.[1] as number) - (cmp?.liftCi?.[0] as number));
  });

  it('is null when the control has no conversions (no ratio to bound)', () => {
    const r = analyse({ a: users(400, 0, 0.5), b: users(400, 28, 0.5) });
    expect(r.variants[1]?.metrics[0]?.vsControl?.sequentialLiftCi).toBeNull();
  });
});
