import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cuped, fitTheta } from './cuped';
import { ipwMean } from './ipw';
import { summarize } from './means';
import { ratioMetric } from './ratio';
import { cupedFromSums, cupedThetaFromSums, ipwMeanFromSums, ratioFromSums, summarizeSums } from './sums';

const money = fc.integer({ min: 0, max: 500_000 });
const rel = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('estimators from SQL-style sums agree with the per-user versions', () => {
  it('summarizeSums = summarize', () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 2, maxLength: 200 }), (ys) => {
        const sumSquares = sum(ys.map((y) => y * y));
        const a = summarizeSums({ n: ys.length, sum: sum(ys), sumSquares });
        const b = summarize(ys);
        expect(rel(a.mean, b.mean)).toBe(true);
        // Σy² − (Σy)²/n cancels when the values are large and close ([499587, 499841, 499823]): its
        // rounding error is a few ulps of Σy², not of the variance. That is the precision SQL sums give,
        // and it stays far below anything a test of revenue per user could notice.
        const cancellation = (8 * Number.EPSILON * sumSquares) / (ys.length - 1);
        expect(Math.abs(a.variance - b.variance)).toBeLessThanOrEqual(1e-9 * b.variance + cancellation);
      }),
    );
  });

  it('ratioFromSums = ratioMetric', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(money, fc.integer({ min: 1, max: 30 })), { minLength: 2, maxLength: 200 }),
        (rows) => {
          const y = rows.map((r) => r[0]);
          const x = rows.map((r) => r[1]);
          const a = ratioFromSums({
            n: rows.length,
            sumNumerator: sum(y),
            sumDenominator: sum(x),
            sumNumeratorSquares: sum(y.map((v) => v * v)),
            sumDenominatorSquares: sum(x.map((v) => v * v)),
            sumProducts: sum(rows.map(([yi, xi]) => yi * xi)),
          });
          const b = ratioMetric({ numerators: y, denominators: x });
          expect(rel(a.ratio, b.ratio)).toBe(true);
          expect(Math.abs(a.variance - b.variance)).toBeLessThanOrEqual(
            1e-7 * Math.max(1e-9, b.variance) + 1e-12,
          );
        },
      ),
    );
  });

  it('ipwMeanFromSums = ipwMean', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(money, fc.double({ min: 0.05, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 200,
        }),
        (rows) => {
          const w = rows.map((r) => 1 / r[1]);
          const sums = {
            sumW: sum(w),
            sumWY: sum(rows.map(([y], i) => (w[i] as number) * y)),
            sumW2: sum(w.map((v) => v * v)),
            sumW2Y: sum(rows.map(([y], i) => (w[i] as number) ** 2 * y)),
            sumW2Y2: sum(rows.map(([y], i) => (w[i] as number) ** 2 * y * y)),
          };
          const a = ipwMeanFromSums(sums);
          // Cancellation in Σw²y² − 2μΣw²y + μ²Σw² is relative to the size of its terms.
          const scale = sums.sumW2Y2 / sums.sumW ** 2;
          const b = ipwMean({ outcomes: rows.map((r) => r[0]), probabilities: rows.map((r) => r[1]) });
          expect(rel(a.mean, b.mean)).toBe(true);
          expect(Math.abs(a.variance - b.variance)).toBeLessThanOrEqual(1e-12 * scale);
        },
      ),
    );
  });

  it('cupedThetaFromSums + cupedFromSums = fitTheta + cuped', () => {
    const user = fc.tuple(money, fc.option(money, { nil: null }));
    fc.assert(
      fc.property(
        fc.array(user, { minLength: 3, maxLength: 150 }),
        fc.array(user, { minLength: 3, maxLength: 150 }),
        (c, t) => {
          const samples = [c, t].map((rows) => ({ y: rows.map((r) => r[0]), x: rows.map((r) => r[1]) }));
          const sums = samples.map((s) => {
            const h = s.x
              .map((x, i) => [x, s.y[i] as number] as const)
              .filter((p): p is readonly [number, number] => p[0] !== null);
            return {
              n: s.y.length,
              sumY: sum(s.y),
              sumYSquares: sum(s.y.map((v) => v * v)),
              nWithHistory: h.length,
              sumX: sum(h.map((p) => p[0])),
              sumXSquares: sum(h.map((p) => p[0] * p[0])),
              sumXY: sum(h.map((p) => p[0] * p[1])),
              sumYWithHistory: sum(h.map((p) => p[1])),
            };
          });
          const fitA = cupedThetaFromSums(sums);
          const fitB = fitTheta(samples);
          expect(Math.abs(fitA.theta - fitB.theta)).toBeLessThanOrEqual(
            1e-7 * Math.max(1, Math.abs(fitB.theta)),
          );
          samples.forEach((s, i) => {
            const a = cupedFromSums(sums[i] as (typeof sums)[number], fitB);
            const b = summarize(cuped({ ...s, ...fitB }).adjusted);
            expect(rel(a.mean, b.mean)).toBe(true);
            expect(Math.abs(a.variance - b.variance)).toBeLessThanOrEqual(1e-6 * Math.max(1, b.variance));
          });
        },
      ),
    );
  });
});

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
