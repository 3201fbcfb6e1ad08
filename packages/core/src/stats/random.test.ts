import { describe, expect, it } from 'vitest';
import { createRng, sampleBeta, sampleBinomial, sampleGamma, sampleNormal } from './random';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe('seeded samplers', () => {
  it('repeats a stream for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws uniforms, normals, gammas, betas and binomials with the right moments', () => {
    const rng = createRng(1);
    const n = 40_000;
    const u = moments(() => rng.next(), n);
    expect(u.mean).toBeCloseTo(0.5, 2);
    expect(u.variance).toBeCloseTo(1 / 12, 2);
    const z = moments(() => sampleNormal(rng), n);
    expect(Math.abs(z.mean)).toBeLessThan(0.02);
    expect(z.variance).toBeCloseTo(1, 1);
    for (const shape of [0.3, 1, 4.5, 200]) {
      const g = moments(() => sampleGamma(rng, shape), n);
      expect(Math.abs(g.mean - shape)).toBeLessThan(4 * Math.sqrt(shape / n));
      expect(Math.abs(g.variance / shape - 1)).toBeLessThan(0.08);
    }
    const b = moments(() => sampleBeta(rng, 2, 5), n);
    expect(Math.abs(b.mean - 2 / 7)).toBeLessThan(0.005);
    for (const [trials, p] of [
      [10, 0.3],
      [500, 0.1],
      [100_000, 0.02],
      [1000, 0.97],
    ] as const) {
      const x = moments(() => sampleBinomial(rng, trials, p), 20_000);
      const v = trials * p * (1 - p);
      expect(Math.abs(x.mean - trials * p)).toBeLessThan(4 * Math.sqrt(v / 20_000));
      expect(Math.abs(x.variance / v - 1)).toBeLessThan(0.08);
    }
  });
});
