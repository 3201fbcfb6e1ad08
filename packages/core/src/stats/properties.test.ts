import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bayesBinary } from './bayes';
import { betaCdf, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions';
import { welchTTest } from './means';
import { benjaminiHochberg, holm } from './multiple';
import { compareProportions } from './proportions';
import { msprtPValue } from './sequential';
import { sampleRatioMismatch } from './srm';

const arm = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([n, rate]) => ({ n, conversions: Math.round(n * rate) }));
const smallArm = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([n, rate]) => ({ n, conversions: Math.round(n * rate) }));
const meanArm = fc.record({
  n: fc.integer({ min: 2, max: 100_000 }),
  mean: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
  variance: fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
});
const alpha = fc.double({ min: 0.001, max: 0.2, noNaN: true });
const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 });

const inUnit = (p: number) => p >= 0 && p <= 1;
const contains = ([lo, hi]: readonly [number, number], x: number) => lo <= x + 1e-12 && x <= hi + 1e-12;

describe('invariants', () => {
  it('proportions: p in [0, 1], CIs contain the estimates', () => {
    fc.assert(
      fc.property(arm, arm, alpha, (control, treatment, a) => {
        const r = compareProportions({ control, treatment, alpha: a });
        expect(inUnit(r.pValue)).toBe(true);
        expect(contains(r.diffCi, r.diff)).toBe(true);
        if (control.conversions > 0 && treatment.conversions > 0) {
          expect(r.relativeLiftCi && r.relativeLift !== null).toBe(true);
          if (r.relativeLiftCi && r.relativeLift !== null) {
            expect(contains(r.relativeLiftCi, r.relativeLift)).toBe(true);
            expect(r.relativeLiftCi[0]).toBeGreaterThan(-1);
          }
        }
      }),
    );
  });

  it('proportions: p < α exactly when the difference interval excludes 0 (one test for both)', () => {
    // The case that disagreed when the p-value was pooled and the interval unpooled: p = 0.036, CI ∋ 0.
    const r = compareProportions({
      control: { n: 1000, conversions: 50 },
      treatment: { n: 100, conversions: 10 },
    });
    expect(r.pValue < 0.05).toBe(r.diffCi[0] > 0 || r.diffCi[1] < 0);
    fc.assert(
      fc.property(arm, arm, alpha, (control, treatment, a) => {
        const c = compareProportions({ control, treatment, alpha: a });
        // Away from the boundary, where the last bit of rounding decides.
        if (Math.abs(c.pValue - a) > 1e-9) expect(c.pValue < a).toBe(c.diffCi[0] > 0 || c.diffCi[1] < 0);
      }),
      { numRuns: 5000 },
    );
    // Small arms, many with no conversions at all: still one test, and swapping the arms mirrors it.
    const tiny = fc
      .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }))
      .map(([n, x]) => ({ n, conversions: Math.min(n, x % (n + 1)) }));
    fc.assert(
      fc.property(tiny, tiny, alpha, (control, treatment, a) => {
        const c = compareProportions({ control, treatment, alpha: a });
        if (Math.abs(c.pValue - a) > 1e-9) expect(c.pValue < a).toBe(c.diffCi[0] > 0 || c.diffCi[1] < 0);
        expect(c.diffCi[0]).toBeLessThanOrEqual(c.diff + 1e-12);
        expect(c.diffCi[1]).toBeGreaterThanOrEqual(c.diff - 1e-12);
        const swapped = compareProportions({ control: treatment, treatment: control, alpha: a });
        expect(swapped.pValue).toBeCloseTo(c.pValue, 9);
        expect(swapped.diffCi[0]).toBeCloseTo(-c.diffCi[1], 9);
      }),
      { numRuns: 3000 },
    );
  });

  it('Welch: p in [0, 1], CIs contain the estimates, p < α exactly when the CI excludes 0', () => {
    fc.assert(
      fc.property(meanArm, meanArm, alpha, (control, treatment, a) => {
        const r = welchTTest({ control, treatment, alpha: a });
        expect(inUnit(r.pValue)).toBe(true);
        expect(contains(r.diffCi, r.diff)).toBe(true);
        // A zero control mean leaves the lift undefined (null), never ±Infinity.
        if (control.mean === 0) expect(r.relativeLift).toBeNull();
        else if (r.relativeLiftCi && r.relativeLift !== null)
          expect(contains(r.relativeLiftCi, r.relativeLift)).toBe(true);
        // Duality of test and interval (away from the boundary, where rounding decides).
        if (Math.abs(r.pValue - a) > 1e-9) expect(r.pValue < a).toBe(r.diffCi[0] > 0 || r.diffCi[1] < 0);
      }),
    );
  });

  it('sequential: p in [0, 1], CI contains the estimate', () => {
    fc.assert(
      fc.property(arm, arm, (control, treatment) => {
        const seq = msprtPValue({ control, treatment });
        expect(inUnit(seq.pValue)).toBe(true);
        expect(contains(seq.ci, seq.estimate)).toBe(true);
      }),
    );
  });

  it('Holm ≥ raw p, BH ≥ raw p, both ≤ 1; BH keeps the order of the raw p-values, Holm ≥ BH', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const h = holm(ps);
        const b = benjaminiHochberg(ps);
        ps.forEach((p, i) => {
          expect(h[i]).toBeGreaterThanOrEqual(p);
          expect(b[i]).toBeGreaterThanOrEqual(p);
          expect(h[i]).toBeLessThanOrEqual(1);
          expect(h[i]).toBeGreaterThanOrEqual((b[i] as number) - 1e-15);
          ps.forEach((q, j) => {
            if (p <= q) {
              expect(b[i]).toBeLessThanOrEqual(b[j] as number);
              expect(h[i]).toBeLessThanOrEqual(h[j] as number);
            }
          });
        });
      }),
    );
  });

  it('SRM: p in [0, 1]; counts exactly on the weights never mismatch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 1, max: 5000 }),
        (weights, scale) => {
          const exact = sampleRatioMismatch({ observed: weights.map((w) => w * scale), weights });
          expect(exact.pValue).toBeCloseTo(1, 12);
          expect(exact.mismatch).toBe(false);
          const skewed = sampleRatioMismatch({
            observed: weights.map((w, i) => w * scale + (i === 0 ? scale : 0)),
            weights,
          });
          expect(inUnit(skewed.pValue)).toBe(true);
        },
      ),
    );
  });

  it('quantiles invert their CDFs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }),
        fc.double({ min: 0.5, max: 1e4, noNaN: true }),
        (p, df) => {
          expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
          expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-12 + 1e-9 * p);
        },
      ),
    );
  });

  it('beta CDF is monotone; the chance to beat control is in [0, 1] and mirrors when arms swap', () => {
    fc.assert(
      fc.property(smallArm, smallArm, (control, treatment) => {
        const ab = bayesBinary({ control, treatment });
        const ba = bayesBinary({ control: treatment, treatment: control });
        expect(inUnit(ab.chanceToBeatControl)).toBe(true);
        expect(ab.chanceToBeatControl + ba.chanceToBeatControl).toBeCloseTo(1, 7);
        expect(ab.expectedLoss).toBeCloseTo(ba.expectedLossControl, 9);
        const a = 1 + control.conversions;
        const b = 1 + control.n - control.conversions;
        expect(betaCdf(0.3, a, b)).toBeLessThanOrEqual(betaCdf(0.6, a, b) + 1e-15);
      }),
      // Each call integrates incomplete betas (~0.1 s at 100k users per arm): few runs, smaller arms.
      { numRuns: 25 },
    );
  });
});
