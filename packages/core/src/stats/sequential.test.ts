import { describe, expect, it } from 'vitest';
import { compareProportions } from './proportions';
import { createRng, type Rng, sampleBinomial, sampleGamma, sampleNormal } from './random';
import { alwaysValidPValues, msprt, msprtPValue } from './sequential';
import type { BinaryArm, MeanArm } from './types';

const ALPHA = 0.05;
const LOOKS = 14;

/** Cumulative daily looks of one simulated two-arm experiment on a binary metric. */
function binaryLooks(
  rng: Rng,
  perDay: number,
  pc: number,
  pt: number,
): { control: BinaryArm; treatment: BinaryArm }[] {
  const looks = [];
  let xc = 0;
  let xt = 0;
  for (let day = 1; day <= LOOKS; day++) {
    xc += sampleBinomial(rng, perDay, pc);
    xt += sampleBinomial(rng, perDay, pt);
    looks.push({
      control: { n: perDay * day, conversions: xc },
      treatment: { n: perDay * day, conversions: xt },
    });
  }
  return looks;
}

/**
 * Cumulative daily looks on a normal metric from sufficient statistics only: a day's sum is
 * N(nμ, nσ²) and its within-day sum of squares about the day mean is σ² χ²_{n−1} (Cochran), so no
 * per-user loop is needed.
 */
function meanLooks(
  rng: Rng,
  perDay: number,
  mu: number,
  sigma: number,
): { control: MeanArm; treatment: MeanArm }[] {
  const arms = [
    { n: 0, sum: 0, sumSq: 0 },
    { n: 0, sum: 0, sumSq: 0 },
  ];
  const looks = [];
  for (let day = 1; day <= LOOKS; day++) {
    for (const arm of arms) {
      const dayMean = mu + (sigma / Math.sqrt(perDay)) * sampleNormal(rng);
      const within = sigma ** 2 * 2 * sampleGamma(rng, (perDay - 1) / 2);
      arm.n += perDay;
      arm.sum += perDay * dayMean;
      arm.sumSq += within + perDay * dayMean ** 2;
    }
    const [c, t] = arms.map((a) => ({
      n: a.n,
      mean: a.sum / a.n,
      variance: (a.sumSq - a.sum ** 2 / a.n) / (a.n - 1),
    })) as [MeanArm, MeanArm];
    looks.push({ control: c, treatment: t });
  }
  return looks;
}

type Look = { control: BinaryArm | MeanArm; treatment: BinaryArm | MeanArm };
type Rule = (looks: readonly Look[]) => boolean;

/** Share of simulated experiments each rule rejects; every rule sees the same simulated data. */
function rejectRates(
  sims: number,
  seed: number,
  makeLooks: (rng: Rng) => readonly Look[],
  rules: Rule[],
): number[] {
  const rng = createRng(seed);
  const counts = rules.map(() => 0);
  for (let s = 0; s < sims; s++) {
    const looks = makeLooks(rng);
    rules.forEach((rule, i) => {
      if (rule(looks)) counts[i] = (counts[i] as number) + 1;
    });
  }
  return counts.map((c) => c / sims);
}

/** Stop at the first look whose always-valid p-value is ≤ α. */
const sequentialRejects =
  (options: { tau2?: number } = {}): Rule =>
  (looks) =>
    alwaysValidPValues(looks as never, { alpha: ALPHA, ...options }).some((r) => r.pValue <= ALPHA);

/** Stop at the first look whose fixed-horizon z-test has p ≤ α: the peeking mistake. */
const naiveRejects: Rule = (looks) =>
  looks.some((l) => compareProportions(l as { control: BinaryArm; treatment: BinaryArm }).pValue <= ALPHA);

describe('mSPRT on A/A data with a look every day for 14 days', () => {
  const sims = 2000;
  // Binomial simulation error of a rate near α.
  const bound = ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / sims);

  it('keeps the false-positive rate ≤ α, while the naive z-test peeked daily exceeds it', () => {
    const [sequential, fixedTau, naive] = rejectRates(sims, 11, (rng) => binaryLooks(rng, 500, 0.1, 0.1), [
      sequentialRejects(),
      sequentialRejects({ tau2: 0.01 ** 2 }),
      naiveRejects,
    ]) as [number, number, number];
    // Measured with this seed: 0.0055, 0.0055 and 0.215.
    expect(sequential).toBeLessThanOrEqual(bound);
    expect(fixedTau).toBeLessThanOrEqual(bound);
    // Same data: peeking at a fixed-horizon test inflates the error well past α (≈ 0.2 for 14 looks).
    expect(naive).toBeGreaterThan(bound);
    expect(naive).toBeGreaterThan(2.5 * ALPHA);
  });

  it('keeps the false-positive rate ≤ α on a continuous metric', () => {
    const [rate] = rejectRates(1000, 12, (rng) => meanLooks(rng, 400, 150, 300), [sequentialRejects()]) as [
      number,
    ];
    expect(rate).toBeLessThanOrEqual(ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / 1000));
  });

  it('still finds a real 20 % lift within the 14 days', () => {
    const [power] = rejectRates(300, 13, (rng) => binaryLooks(rng, 500, 0.1, 0.12), [
      sequentialRejects(),
    ]) as [number];
    // 0.80 measured with this seed; the bound leaves room for sampler changes.
    expect(power).toBeGreaterThan(0.7);
  });
});

describe('msprt', () => {
  it('gives p = 1 with no difference and a smaller p as evidence grows', () => {
    expect(msprt({ estimate: 0, variance: 1e-4, tau2: 1e-4 }).pValue).toBe(1);
    const weak = msprt({ estimate: 0.01, variance: 1e-5, tau2: 1e-4 }).pValue;
    const strong = msprt({ estimate: 0.02, variance: 1e-5, tau2: 1e-4 }).pValue;
    expect(strong).toBeLessThan(weak);
  });

  it('matches Λ = √(V/(V+τ²)) exp(θ²τ²/(2V(V+τ²))) worked by hand', () => {
    // V = 1, τ² = 3, θ = 2: Λ = ½ · exp(4·3/(2·1·4)) = ½ e^{1.5}.
    const r = msprt({ estimate: 2, variance: 1, tau2: 3 });
    expect(r.logLikelihoodRatio).toBeCloseTo(Math.log(0.5) + 1.5, 12);
    expect(r.pValue).toBeCloseTo(2 * Math.exp(-1.5), 12);
  });

  it('never lets the p-value rise again and narrows the running interval', () => {
    const looks = [
      { control: { n: 1000, conversions: 100 }, treatment: { n: 1000, conversions: 140 } },
      { control: { n: 2000, conversions: 200 }, treatment: { n: 2000, conversions: 205 } },
    ];
    const [first, second] = alwaysValidPValues(looks);
    if (!first || !second) throw new Error('two looks expected');
    const alone = msprtPValue(looks[1] as (typeof looks)[1]);
    expect(alone.pValue).toBeGreaterThan(first.pValue);
    expect(second.pValue).toBe(first.pValue);
    expect(second.ci[0]).toBeGreaterThanOrEqual(first.ci[0]);
    expect(second.ci[1]).toBeLessThanOrEqual(first.ci[1]);
  });

  it('is wider than the fixed-horizon interval (the price of looking any time)', () => {
    const input = { control: { n: 5000, conversions: 500 }, treatment: { n: 5000, conversions: 560 } };
    const seq = msprtPValue(input);
    const fixed = compareProportions(input);
    expect(seq.ci[1] - seq.ci[0]).toBeGreaterThan(fixed.diffCi[1] - fixed.diffCi[0]);
    expect(seq.pValue).toBeGreaterThan(fixed.pValue);
  });
});
