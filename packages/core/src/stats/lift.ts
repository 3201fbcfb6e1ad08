import { requireFinite } from './validate';
/**
 * Relative lift (treatment ÷ control − 1) as a figure a page can show. With a zero control the ratio
 * has no value (x/0 is ±Infinity, 0/0 NaN) and no amount of "%" makes it one, so it is `null` with the
 * reason in words; the page shows "n/a" and the reason, and a verdict never says "by Infinity%".
 */
export interface RelativeLift {
  value: number | null;
  /** Why the lift is undefined; absent when it has a value. */
  reason?: string;
}

/** The reason a proportion's lift is undefined: its control converted nobody. */
export const ZERO_CONTROL_CONVERSIONS = 'control has no conversions';
/** The reason a mean's or ratio's lift is undefined: its control is zero (e.g. no revenue at all). */
export const ZERO_CONTROL_VALUE = 'control value is zero';
/** The reason when either value is not a number at all (too little data to estimate). */
export const NO_ESTIMATE = 'not enough data to estimate';

export function relativeLift(
  treatment: number,
  control: number,
  zeroControlReason: string = ZERO_CONTROL_VALUE,
): RelativeLift {
  // A missing estimate is the caller's to report (NO_ESTIMATE); a NaN here would be a bug upstream.
  requireFinite('treatment', treatment);
  requireFinite('control', control);
  if (control === 0) return { value: null, reason: zeroControlReason };
  return { value: treatment / control - 1 };
}
