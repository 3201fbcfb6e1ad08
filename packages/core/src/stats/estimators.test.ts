import { describe, expect, it } from 'vitest';
import { bayesNormal } from './bayes';
import { cuped, cupedCompare } from './cuped';
import { ipwCompare } from './ipw';
import { summarize, welchTTest } from './means';
import { compareProportions } from './proportions';
import { createRng, sampleGamma, sampleNormal } from './random';
import { compareRatios, ratioMetric } from './ratio';
import { sampleRatioMismatch } from './srm';
import { quantile, winsorize } from './winsorize';

describe('compareProportions', () => {
  it('reports no evidence when neither arm converts, and leaves the lift interval undefined', () => {
    const r = compareProportions({
      control: { n: 500, conversions: 0 },
      treatment: { n: 500, conversions: 0 },
    });
    expect(r.pValue).toBe(1);
    // The score interval does not collapse to the point [0, 0]: 0/500 twice rules out only large differences.
    expect(r.diffCi[0]).toBeCloseTo(-r.diffCi[1], 12);
    expect(r.diffCi[1]).toBeGreaterThan(0.005);
    expect(r.diffCi[1]).toBeLessThan(0.01);
    expect(r.relativeLiftCi).toBeNull();
    expect(r.relativeLift).toBeNull();
    expect(r.relativeLiftReason).toBe('control has no conversions');
  });

  it('rejects impossible counts', () => {
    expect(() =>
      compareProportions({ control: { n: 10, conversions: 11 }, treatment: { n: 10, conversions: 1 } }),
    ).toThrow(RangeError);
  });

  it('covers the true difference about 95 % of the time', () => {
    const rng = createRng(5);
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      // Normal approximation of Binomial(4000, p) is plenty for a coverage check.
      const xc = Math.round(4000 * 0.1 + Math.sqrt(4000 * 0.09) * sampleNormal(rng));
      const xt = Math.round(4000 * 0.12 + Math.sqrt(4000 * 0.12 * 0.88) * sampleNormal(rng));
      const r = compareProportions({
        control: { n: 4000, conversions: xc },
        treatment: { n: 4000, conversions: xt },
      });
      if (r.diffCi[0] <= 0.02 && 0.02 <= r.diffCi[1]) covered += 1;
    }
    expect(Math.abs(covered / runs - 0.95)).toBeLessThan(0.015);
  });
});

describe('welchTTest', () => {
  it('handles constant arms without dividing by zero', () => {
    const same = welchTTest({
      control: { n: 5, mean: 3, variance: 0 },
      treatment: { n: 5, mean: 3, variance: 0 },
    });
    expect(same.pValue).toBe(1);
    const apart = welchTTest({
      control: { n: 5, mean: 3, variance: 0 },
      treatment: { n: 5, mean: 4, variance: 0 },
    });
    expect(apart.pValue).toBe(0);
  });

  it('summarize is stable for large values (Welford)', () => {
    const s = summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(s.variance).toBeCloseTo(30, 9);
  });
});

describe('ratio metric (delta method)', () => {
  it('its variance matches the spread of the ratio over repeated samples', () => {
    const rng = createRng(8);
    const users = 300;
    const draw = () => {
      const sessions: number[] = [];
      const revenue: number[] = [];
      for (let i = 0; i < users; i++) {
        const s = 1 + Math.floor(sampleGamma(rng, 2));
        sessions.push(s);
        // Revenue grows with sessions, so numerator and denominator are correlated.
        revenue.push(s * 300 * sampleGamma(rng, 0.5));
      }
      return ratioMetric({ numerators: revenue, denominators: sessions });
    };
    const ratios: number[] = [];
    let deltaVariance = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const m = draw();
      ratios.push(m.ratio);
      deltaVariance += m.variance / runs;
    }
    const empirical = summarize(ratios).variance;
    expect(deltaVariance / empirical).toBeGreaterThan(0.85);
    expect(deltaVariance / empirical).toBeLessThan(1.15);
  });

  it('compareRatios finds no difference between identical arms', () => {
    const m = ratioMetric({ numerators: [100, 0, 250, 40], denominators: [2, 1, 3, 1] });
    const r = compareRatios({ control: m, treatment: m });
    expect(r.diff).toBe(0);
    expect(r.pValue).toBe(1);
  });
});

describe('CUPED', () => {
  it('keeps the effect, shrinks the interval, and leaves users without history unadjusted', () => {
    const rng = createRng(21);
    const arm = (effect: number) => {
      const y: number[] = [];
      const x: (number | null)[] = [];
      for (let i = 0; i < 4000; i++) {
        const habit = 200 * sampleGamma(rng, 2);
        const hasHistory = rng.next() < 0.7;
        x.push(hasHistory ? habit + 50 * sampleNormal(rng) : null);
        y.push(habit + effect + 100 * sampleNormal(rng));
      }
      return { y, x };
    };
    const control = arm(0);
    const treatment = arm(20);
    const plain = welchTTest({ control: summarize(control.y), treatment: summarize(treatment.y) });
    const adjusted = cupedCompare({ control, treatment });
    expect(adjusted.varianceReduction).toBeGreaterThan(0.3);
    expect(adjusted.diffCi[1] - adjusted.diffCi[0]).toBeLessThan(0.85 * (plain.diffCi[1] - plain.diffCi[0]));
    expect(Math.abs(adjusted.diff - 20)).toBeLessThan(3 * adjusted.standardError);
    const one = cuped({ ...control, theta: adjusted.theta, xMean: 400 });
    control.x.forEach((x, i) => {
      if (x === null) expect(one.adjusted[i]).toBe(control.y[i]);
    });
  });
});

describe('winsorize', () => {
  it('caps only above the cap and counts what it capped', () => {
    const values = [1, 2, 3, 4, 1000];
    expect(quantile(values, 0.5)).toBe(3);
    const r = winsorize(values, { upperQuantile: 0.75 });
    expect(r.cap).toBe(4);
    expect(r.values).toEqual([1, 2, 3, 4, 4]);
    expect(r.capped).toBe(1);
    expect(winsorize(values, { cap: 2.5 }).values).toEqual([1, 2, 2.5, 2.5, 2.5]);
  });
});

describe('sampleRatioMismatch', () => {
  it('flags a 50/50 test that delivered 50.6/49.4 on 100k users and accepts normal noise', () => {
    expect(sampleRatioMismatch({ observed: [50_600, 49_400], weights: [1, 1] }).mismatch).toBe(true);
    expect(sampleRatioMismatch({ observed: [50_100, 49_900], weights: [1, 1] }).mismatch).toBe(false);
  });

  it('treats traffic in a zero-weight arm as a mismatch', () => {
    const r = sampleRatioMismatch({ observed: [500, 500, 3], weights: [1, 1, 0] });
    expect(r.mismatch).toBe(true);
    expect(r.pValue).toBe(0);
  });
});

describe('bayesNormal', () => {
  it('gives ½ for equal means and a symmetric loss', () => {
    const arm = { n: 100, mean: 10, variance: 25 };
    const r = bayesNormal({ control: arm, treatment: arm });
    expect(r.chanceToBeatControl).toBeCloseTo(0.5, 12);
    expect(r.expectedLoss).toBeCloseTo(r.expectedLossControl, 12);
    // E[max(D, 0)] for D ~ N(0, σ²) is σ/√(2π).
    expect(r.expectedLoss).toBeCloseTo(Math.sqrt(0.5) / Math.sqrt(2 * Math.PI), 12);
  });
});

describe('ipwCompare with constant outcomes', () => {
  it('a difference with zero variance is certain, as its point interval says (not p = 1)', () => {
    const r = ipwCompare({
      control: { outcomes: [0, 0, 0], probabilities: [0.5, 0.5, 0.5] },
      treatment: { outcomes: [1, 1, 1], probabilities: [0.5, 0.5, 0.5] },
    });
    expect(r.diffCi).toEqual([1, 1]);
    expect(r.pValue).toBe(0);
    const same = ipwCompare({
      control: { outcomes: [1, 1], probabilities: [0.5, 0.5] },
      treatment: { outcomes: [1, 1], probabilities: [0.5, 0.5] },
    });
    expect(same.pValue).toBe(1);
  });
});
