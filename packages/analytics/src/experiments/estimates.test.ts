import { stats } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { compare, cupedFit, estimateMetric } from './estimates';
import { seededRandom } from './testing/simulate';
import type { Moments, VariantLookStats } from './variant-stats.query';

interface User {
  conv: number;
  rev: number;
  pre: number;
  p: number;
  turns: number;
  fallbacks: number;
}

/** What the SQL computes per variant, done here from per-user rows. */
function sums(users: User[]): VariantLookStats {
  const moments = (f: (u: User) => number): Moments => ({
    s: users.reduce((s, u) => s + f(u), 0),
    ss: users.reduce((s, u) => s + f(u) ** 2, 0),
    sw: users.reduce((s, u) => s + f(u) / u.p, 0),
    sw2: users.reduce((s, u) => s + f(u) / u.p ** 2, 0),
    sw2y2: users.reduce((s, u) => s + (f(u) / u.p) ** 2, 0),
  });
  const zero = moments(() => 0);
  const sum = (f: (u: User) => number) => users.reduce((s, u) => s + f(u), 0);
  return {
    look: 1,
    variant: 'x',
    n: users.length,
    sw: sum((u) => 1 / u.p),
    sw2: sum((u) => 1 / u.p ** 2),
    probability: {
      min: Math.min(...users.map((u) => u.p)),
      max: Math.max(...users.map((u) => u.p)),
      last: users.at(-1)?.p ?? Number.NaN,
    },
    outcomes: { conv: moments((u) => u.conv), cart: zero, rev: moments((u) => u.rev), stopped: zero },
    ratios: {
      fallback: {
        sx: sum((u) => u.fallbacks),
        sxx: sum((u) => u.fallbacks ** 2),
        sd: sum((u) => u.turns),
        sdd: sum((u) => u.turns ** 2),
        sxd: sum((u) => u.fallbacks * u.turns),
      },
      refund: { sx: 0, sxx: 0, sd: 0, sdd: 0, sxd: 0 },
    },
    pre: {
      s: sum((u) => u.pre),
      ss: sum((u) => u.pre ** 2),
      sxy: sum((u) => u.pre * u.rev),
      nHistory: users.filter((u) => u.pre > 0).length,
    },
    revenue: sum((u) => u.rev),
  };
}

function users(n: number, seed: number, rate: number): User[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const pre = r() < 0.3 ? Math.round(1000 + 4000 * r()) : 0;
    const conv = pre > 0 || r() < rate ? 1 : 0;
    const turns = 1 + Math.floor(r() * 5);
    return {
      conv,
      rev: conv ? Math.round(2000 + pre * 2 + 500 * r()) : 0,
      pre,
      p: r() < 0.5 ? 0.2 : 0.6,
      turns,
      fallbacks: Math.floor(r() * (turns + 1) * 0.3),
    };
  });
}

describe('estimates from SQL-style sums agree with the per-user estimators', () => {
  const a = users(3000, 1, 0.1);
  const b = users(3000, 2, 0.13);

  it('means, proportions, IPW and delta-method ratios', () => {
    const conv = estimateMetric(sums(a), 'conversion', { ipw: false });
    expect(conv.mean).toBeCloseTo(a.filter((u) => u.conv).length / a.length, 12);
    const rev = estimateMetric(sums(a), 'revenue_per_user', { ipw: false });
    const ref = stats.summarize(a.map((u) => u.rev));
    expect(rev.mean).toBeCloseTo(ref.mean, 9);
    expect(rev.variance).toBeCloseTo(ref.variance / ref.n, 6);
    const ipw = estimateMetric(sums(a), 'revenue_per_user', { ipw: true });
    const ipwRef = stats.ipwMean({ outcomes: a.map((u) => u.rev), probabilities: a.map((u) => u.p) });
    expect(ipw.mean).toBeCloseTo(ipwRef.mean, 9);
    expect(ipw.variance / ipwRef.variance).toBeCloseTo(1, 9);
    const fb = estimateMetric(sums(a), 'fallback_rate', { ipw: false });
    const fbRef = stats.ratioMetric({
      numerators: a.map((u) => u.fallbacks),
      denominators: a.map((u) => u.turns),
    });
    expect(fb.mean).toBeCloseTo(fbRef.ratio, 12);
    expect(fb.variance / fbRef.variance).toBeCloseTo(1, 9);
  });

  it('CUPED shrinks the revenue variance and matches the per-user adjustment of every user', () => {
    // Zero pre-period spend is an observed covariate value (Deng et al. 2013), not a missing one: θ is
    // fitted on every user and every user is adjusted, spenders or not (70 % here spent nothing).
    const fit = cupedFit([sums(a), sums(b)]);
    const sample = (us: User[]) => ({ y: us.map((u) => u.rev), x: us.map((u) => u.pre) });
    const ref = stats.fitTheta([sample(a), sample(b)]);
    expect(a.filter((u) => u.pre === 0).length).toBeGreaterThan(1000);
    expect(fit.theta).toBeCloseTo(ref.theta, 9);
    expect(fit.xMean).toBeCloseTo(ref.xMean, 9);
    const perUser = stats.summarize(stats.cuped({ ...sample(a), ...ref }).adjusted);
    const plain = estimateMetric(sums(a), 'revenue_per_user', { ipw: false });
    const adjusted = estimateMetric(sums(a), 'revenue_per_user', { ipw: false, cuped: fit });
    expect(adjusted.method).toBe('cuped');
    expect(adjusted.mean).toBeCloseTo(perUser.mean, 9);
    expect(adjusted.variance / (perUser.variance / perUser.n)).toBeCloseTo(1, 9);
    expect(adjusted.variance).toBeLessThan(plain.variance);
    // The comparison the results report is the per-user CUPED Welch test on all users.
    const eb = estimateMetric(sums(b), 'revenue_per_user', { ipw: false, cuped: fit });
    const cmp = compare(eb, adjusted, 0.05, true);
    const refCmp = stats.cupedCompare({ control: sample(a), treatment: sample(b) });
    expect(cmp.pValue).toBeCloseTo(refCmp.pValue, 9);
    expect(cmp.difference).toBeCloseTo(refCmp.diff, 9);
  });

  it('compare: the direction of "better" follows the metric', () => {
    const ea = estimateMetric(sums(a), 'conversion', { ipw: false });
    const eb = estimateMetric(sums(b), 'conversion', { ipw: false });
    const up = compare(eb, ea, 0.05, true);
    const down = compare(eb, ea, 0.05, false);
    expect(up.difference).toBeGreaterThan(0);
    expect(up.chanceToBeatControl).toBeGreaterThan(0.9);
    expect(down.chanceToBeatControl).toBeCloseTo(1 - up.chanceToBeatControl, 6);
    expect(down.expectedLoss).toBeGreaterThan(up.expectedLoss);
    expect(up.pValue).toBe(down.pValue);
  });
});
