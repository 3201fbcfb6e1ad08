import { describe, expect, it } from 'vitest';
import {
  NO_ESTIMATE,
  relativeLift,
  relativeLiftInterval,
  ZERO_CONTROL_CONVERSIONS,
  ZERO_CONTROL_VALUE,
} from './lift';
import { welchTTest } from './means';
import { compareProportions } from './proportions';
import { compareRatios } from './ratio';

describe('relative lift', () => {
  it('is treatment ÷ control − 1 when the control is not zero', () => {
    expect(relativeLift(0.12, 0.1).value).toBeCloseTo(0.2, 12);
    expect(relativeLift(0.05, 0.1)).toEqual({ value: -0.5 });
    expect(relativeLift(0, 0.1)).toEqual({ value: -1 });
  });

  it('is null with a reason, never Infinity or NaN, when the control is zero', () => {
    expect(relativeLift(0.3, 0, ZERO_CONTROL_CONVERSIONS)).toEqual({
      value: null,
      reason: 'control has no conversions',
    });
    expect(relativeLift(0, 0)).toEqual({ value: null, reason: ZERO_CONTROL_VALUE });
    // No estimate at all is the caller's to say (NO_ESTIMATE); a NaN reaching here is refused.
    expect(() => relativeLift(Number.NaN, 0.1)).toThrow(RangeError);
    expect(NO_ESTIMATE).toBe('not enough data to estimate');
  });

  it('two proportions whose control converted nobody: lift null, "control has no conversions"', () => {
    const c = compareProportions({
      control: { n: 200, conversions: 0 },
      treatment: { n: 200, conversions: 9 },
    });
    expect(c.relativeLift).toBeNull();
    expect(c.relativeLiftReason).toBe('control has no conversions');
    expect(c.relativeLiftCi).toBeNull();
    // The difference is still a number: the test of the difference does not need the ratio.
    expect(c.diff).toBeCloseTo(0.045, 12);
    expect(JSON.stringify(c)).not.toMatch(/Infinity|NaN/);
  });

  it('means and ratios with a zero control: lift null with its reason', () => {
    const m = welchTTest({
      control: { n: 50, mean: 0, variance: 0 },
      treatment: { n: 50, mean: 3.5, variance: 4 },
    });
    expect(m.relativeLift).toBeNull();
    expect(m.relativeLiftReason).toBe(ZERO_CONTROL_VALUE);
    const r = compareRatios({
      control: { n: 50, ratio: 0, variance: 0, standardError: 0 },
      treatment: { n: 50, ratio: 0.4, variance: 0.01, standardError: 0.1 },
    });
    expect(r.relativeLift).toBeNull();
    expect(r.relativeLiftReason).toBe(ZERO_CONTROL_VALUE);
  });

  it('relativeLiftInterval: null interval with the lift over a zero control, and contains the lift otherwise', () => {
    const zero = relativeLiftInterval({
      treatment: { mean: 0.3, variance: 1e-4 },
      control: { mean: 0, variance: 0 },
      zeroControlReason: ZERO_CONTROL_CONVERSIONS,
    });
    expect(zero).toEqual({ value: null, reason: ZERO_CONTROL_CONVERSIONS, ci: null, standardError: null });
    const r = relativeLiftInterval({
      treatment: { mean: 0.12, variance: 1e-4 },
      control: { mean: 0.1, variance: 1e-4 },
    });
    expect(r.ci?.[0]).toBeLessThan(r.value as number);
    expect(r.ci?.[1]).toBeGreaterThan(r.value as number);
  });
});
