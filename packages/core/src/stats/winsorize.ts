import { requireNumber, requireProbability } from './validate';
/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, NumPy's default):
 * h = (n − 1) q, Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
 */
export function quantile(values: readonly number[], q: number): number {
  requireProbability('q', q);
  if (values.length === 0) throw new RangeError('values must not be empty');
  values.forEach((x, i) => {
    requireNumber(`values[${i}]`, x);
  });
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Caps (winsorises) values above the upper quantile, so one whale order cannot swing revenue per user
 * (Kohavi, Tang & Xu 2020, "Trustworthy Online Controlled Experiments" §22). Pass `cap` computed once on
 * the pooled data of all arms: a cap computed per arm would treat the arms differently.
 */
export function winsorize(
  values: readonly number[],
  options: { upperQuantile?: number; cap?: number } = {},
): { values: number[]; cap: number; capped: number } {
  if (options.upperQuantile !== undefined) requireProbability('options.upperQuantile', options.upperQuantile);
  if (options.cap !== undefined) requireNumber('options.cap', options.cap);
  values.forEach((x, i) => {
    requireNumber(`values[${i}]`, x);
  });
  const cap = options.cap ?? (values.length > 0 ? quantile(values, options.upperQuantile ?? 0.99) : 0);
  let capped = 0;
  const out = values.map((x) => {
    if (x > cap) {
      capped += 1;
      return cap;
    }
    return x;
  });
  return { values: out, cap, capped };
}
