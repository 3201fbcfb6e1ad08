import fc from 'fast-check';
import * as stats from '../index';

/** The shapes and helpers of the invalid-input table (validation.test.ts): one row per exported function. */

export type Args = Record<string, unknown>;
export type Kind = 'nan' | 'negative' | 'infinite' | 'aboveOne' | 'zero';

export interface Row {
  run: (a: Args) => unknown;
  valid: () => Args;
  /** [argument path (dots; numbers index arrays), kinds of bad value]. */
  bad: [string, Kind[]][];
}

export const badValue: Record<Kind, fc.Arbitrary<number>> = {
  nan: fc.constant(Number.NaN),
  negative: fc.double({ min: -1e12, max: -1e-9, noNaN: true }),
  infinite: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  aboveOne: fc.double({ min: 1 + 1e-9, max: 1e6, noNaN: true }),
  zero: fc.constant(0),
};

export const binaryArm = (n = 1000, conversions = 100) => ({ n, conversions });
export const meanArm = (mean = 10, variance = 4, n = 50) => ({ n, mean, variance });
export const ratioSummary = () => ({ n: 100, ratio: 0.2, variance: 0.001, standardError: Math.sqrt(0.001) });
export const armBad = (name: string, minN = 1): [string, Kind[]][] => [
  [`${name}.n`, minN > 0 ? ['nan', 'negative', 'infinite', 'zero'] : ['nan', 'negative', 'infinite']],
  [`${name}.conversions`, ['nan', 'negative']],
];
export const meanBad = (name: string): [string, Kind[]][] => [
  [`${name}.n`, ['nan', 'negative', 'infinite']],
  [`${name}.mean`, ['nan', 'infinite']],
  [`${name}.variance`, ['nan', 'negative', 'infinite']],
];
export const alphaBad: [string, Kind[]] = ['alpha', ['nan', 'negative', 'zero', 'aboveOne']];
export const cupedSums = () => ({
  n: 100,
  sumY: 500,
  sumYSquares: 5000,
  nWithHistory: 100,
  sumX: 300,
  sumXSquares: 2000,
  sumXY: 2500,
  sumYWithHistory: 500,
});
export const rng = () => stats.createRng(7);

// biome-ignore lint/suspicious/noExplicitAny: the table calls every signature through one shape.
type Fn = (...args: any[]) => unknown;
export const EXPORTS: Record<string, unknown> = { ...stats };
export const f = (name: string) => EXPORTS[name] as Fn;
