import { describe, expect, it } from 'vitest';
import { topTwoThompsonWeights } from './bandit';
import { ipwCompare, ipwMean } from './ipw';
import { createRng, sampleBeta, sampleBinomial } from './random';

describe('topTwoThompsonWeights', () => {
  it('sums to 1, respects the floor and favours the better arms', () => {
    const arms = [
      { successes: 50, failures: 950 },
      { successes: 80, failures: 920 },
      { successes: 52, failures: 948 },
    ];
    const w = topTwoThompsonWeights(arms, { floor: 0.05, seed: 1 });
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    for (const x of w) expect(x).toBeGreaterThanOrEqual(0.05);
    expect(w[1]).toBeGreaterThan(w[0] as number);
    expect(w[1]).toBeGreaterThan(w[2] as number);
    // Top-two: the leader gets about β = ½ (plus its share as a challenger, which is ~0 here).
    expect(w[1]).toBeGreaterThan(0.4);
    expect(w[1]).toBeLessThan(0.6);
    // Its two challengers share the other half by their chance of being best.
    expect(w[2]).toBeGreaterThan(w[0] as number);
  });

  it('matches top-two Thompson sampling simulated round by round', () => {
    const arms = [
      { successes: 20, failures: 180 },
      { successes: 26, failures: 174 },
      { successes: 23, failures: 177 },
    ];
    const rng = createRng(9);
    const counts = [0, 0, 0];
    const draw = () => arms.map((a) => sampleBeta(rng, 1 + a.successes, 1 + a.failures));
    const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
    const rounds = 20_000;
    for (let r = 0; r < rounds; r++) {
      const leader = argmax(draw());
      let played = leader;
      if (rng.next() >= 0.5) {
        do played = argmax(draw());
        while (played === leader);
      }
      counts[played] = (counts[played] as number) + 1;
    }
    const w = topTwoThompsonWeights(arms, { floor: 0 });
    for (let i = 0; i < 3; i++) {
      // Monte Carlo standard error ≤ 0.5/√20000 ≈ 0.0035.
      expect(Math.abs((counts[i] as number) / rounds - (w[i] as number))).toBeLessThan(0.012);
    }
  });

  it('gives the floor to an arm that is clearly worse', () => {
    const w = topTwoThompsonWeights(
      [
        { successes: 500, failures: 9500 },
        { successes: 900, failures: 9100 },
        { successes: 880, failures: 9120 },
      ],
      { floor: 0.1, seed: 2 },
    );
    expect(w[0]).toBeCloseTo(0.1, 3);
    expect((w[1] as number) + (w[2] as number)).toBeCloseTo(0.9, 3);
  });

  it('splits evenly between equal arms', () => {
    const arms = [
      { successes: 10, failures: 90 },
      { successes: 10, failures: 90 },
      { successes: 10, failures: 90 },
    ];
    for (const w of topTwoThompsonWeights(arms)) expect(w).toBeCloseTo(1 / 3, 6);
  });

  it('rejects a floor that cannot be met', () => {
    expect(() =>
      topTwoThompsonWeights(
        [
          { successes: 1, failures: 1 },
          { successes: 1, failures: 1 },
        ],
        { floor: 0.6 },
      ),
    ).toThrow(RangeError);
  });
});

describe('inverse-propensity weighting after traffic shifts', () => {
  /**
   * Known truth: treatment converts 2 points better than control in both periods, but the baseline
   * drops from 20 % (week 1, 50/50 split) to 5 % (week 2, bandit moved to 90/10 for treatment).
   * Treatment's users come mostly from the low week, so its plain mean looks worse than control's.
   */
  function simulate(seed: number) {
    const rng = createRng(seed);
    const periods = [
      { users: 20_000, pTreatment: 0.5, baseline: 0.2 },
      { users: 20_000, pTreatment: 0.9, baseline: 0.05 },
    ];
    const arms = {
      control: { outcomes: [] as number[], probabilities: [] as number[] },
      treatment: { outcomes: [] as number[], probabilities: [] as number[] },
    };
    for (const period of periods) {
      const nt = sampleBinomial(rng, period.users, period.pTreatment);
      for (const [arm, n, p, rate] of [
        [arms.treatment, nt, period.pTreatment, period.baseline + 0.02],
        [arms.control, period.users - nt, 1 - period.pTreatment, period.baseline],
      ] as const) {
        for (let i = 0; i < n; i++) {
          arm.outcomes.push(rng.next() < rate ? 1 : 0);
          arm.probabilities.push(p);
        }
      }
    }
    return arms;
  }

  it('recovers the true difference where the naive per-arm means are biased', () => {
    const arms = simulate(3);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const naive = mean(arms.treatment.outcomes) - mean(arms.control.outcomes);
    const r = ipwCompare(arms);
    // Naive: treatment looks ~5 points worse although it is 2 points better.
    expect(naive).toBeLessThan(0);
    expect(Math.abs(r.diff - 0.02)).toBeLessThan(3 * r.standardError);
    expect(r.diffCi[0]).toBeLessThan(0.02);
    expect(r.diffCi[1]).toBeGreaterThan(0.02);
    // The population mean of control is (0.2 + 0.05)/2 = 0.125.
    expect(Math.abs(r.control.mean - 0.125)).toBeLessThan(3 * r.control.standardError);
  });

  it('covers the truth at about the nominal rate over repeated experiments', () => {
    let covered = 0;
    const runs = 60;
    for (let s = 0; s < runs; s++) {
      const r = ipwCompare(simulate(100 + s));
      if (r.diffCi[0] <= 0.02 && 0.02 <= r.diffCi[1]) covered += 1;
    }
    expect(covered / runs).toBeGreaterThan(0.85);
  });

  it('Horvitz–Thompson and Hajek agree with constant propensities (a plain mean)', () => {
    const r = ipwMean({
      outcomes: [1, 0, 0, 1, 1],
      probabilities: [0.5, 0.5, 0.5, 0.5, 0.5],
      populationSize: 10,
    });
    expect(r.mean).toBeCloseTo(0.6, 12);
    expect(r.horvitzThompson).toBeCloseTo(0.6, 12);
  });
});
