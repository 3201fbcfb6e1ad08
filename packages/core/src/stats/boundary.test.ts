import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, holm, significantAt } from './multiple';
import { sampleRatioMismatch } from './srm';

// Holm (1979) and statsmodels' multipletests reject H0 when the (adjusted) p-value is ≤ α, not < α.
describe('a p-value exactly at the level rejects', () => {
  it('significantAt is p ≤ α', () => {
    expect(significantAt(0.05, 0.05)).toBe(true);
    expect(significantAt(0.0500001, 0.05)).toBe(false);
  });

  it('Holm and BH adjusted p-values landing on α are rejected', () => {
    // 2 × 0.025 = 0.05 exactly in binary floating point.
    expect(holm([0.025, 0.05]).map((p) => significantAt(p, 0.05))).toEqual([true, true]);
    expect(benjaminiHochberg([0.05, 0.025]).map((p) => significantAt(p, 0.05))).toEqual([true, true]);
  });

  it('SRM flags a mismatch at p equal to the threshold', () => {
    const input = { observed: [4800, 5210], weights: [1, 1] };
    const { pValue } = sampleRatioMismatch(input);
    expect(sampleRatioMismatch({ ...input, threshold: pValue }).mismatch).toBe(true);
  });
});
