import { type MeanComparison, summarize, welchTTest } from './means';
import { requireAlpha, requireFinite, requireFiniteArray } from './validate';

/** A metric value and its pre-exposure covariate (null when the user has no history). */
export interface CupedSample {
  y: readonly number[];
  x: readonly (number | null)[];
}

export interface CupedResult {
  theta: number;
  /** Mean of x over users with history (the centring point). */
  xMean: number;
  adjusted: number[];
  /** 1 − Var(adjusted)/Var(y); equals ρ²(x, y) when every user has history. */
  varianceReduction: number;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013): y' = y − θ (x − x̄), θ = Cov(x, y)/Var(x), the OLS slope of y on x.
 * E[y'] = E[y], and Var(y') = Var(y)(1 − ρ²). Users without pre-exposure history keep y' = y (x set to
 * x̄), which is the paper's §3.4 treatment of missing covariates; θ is fitted on users with history.
 * Pass `theta` and `xMean` fitted on the pooled arms (see cupedCompare): the adjustment must be the same
 * for every arm or it biases the difference.
 */
export function cuped(input: CupedSample & { theta?: number; xMean?: number }): CupedResult {
  const { y, x } = input;
  checkSample(input, '');
  if (input.theta !== undefined) requireFinite('theta', input.theta);
  if (input.xMean !== undefined) requireFinite('xMean', input.xMean);
  const fit = input.theta !== undefined && input.xMean !== undefined ? null : fitTheta([input]);
  const theta = input.theta ?? fit?.theta ?? 0;
  const xMean = input.xMean ?? fit?.xMean ?? 0;
  const adjusted = y.map((yi, i) => {
    const xi = x[i];
    return xi === null || xi === undefined ? yi : yi - theta * (xi - xMean);
  });
  const before = summarize(y).variance;
  const after = summarize(adjusted).variance;
  return { theta, xMean, adjusted, varianceReduction: before > 0 ? 1 - after / before : 0 };
}

/** Finite y; x finite or null (no covariate), never NaN: a NaN would turn every sum and p-value into noise. */
function checkSample(s: CupedSample, prefix: string): void {
  if (s.y.length !== s.x.length) throw new RangeError(`${prefix}y and ${prefix}x differ in length`);
  requireFiniteArray(`${prefix}y`, s.y);
  s.x.forEach((xi, i) => {
    if (xi !== null) requireFinite(`${prefix}x[${i}]`, xi);
  });
}

/** θ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² over all samples' users with history. */
export function fitTheta(samples: readonly CupedSample[]): { theta: number; xMean: number } {
  for (const [i, s] of samples.entries()) checkSample(s, `samples[${i}].`);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    s.x.forEach((xi, i) => {
      if (xi === null) return;
      n += 1;
      sx += xi;
      sy += s.y[i] as number;
    });
  }
  if (n === 0) return { theta: 0, xMean: 0 };
  const xMean = sx / n;
  const yMean = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    s.x.forEach((xi, i) => {
      if (xi === null) return;
      sxy += (xi - xMean) * ((s.y[i] as number) - yMean);
      sxx += (xi - xMean) ** 2;
    });
  }
  return { theta: sxx > 0 ? sxy / sxx : 0, xMean };
}

/**
 * Welch's test on CUPED-adjusted values with one θ and x̄ fitted on both arms pooled; the treatment
 * cannot change the pre-exposure x, so the adjusted difference stays unbiased and its variance shrinks.
 */
export function cupedCompare(input: {
  control: CupedSample;
  treatment: CupedSample;
  alpha?: number;
}): MeanComparison & { theta: number; varianceReduction: number } {
  checkSample(input.control, 'control.');
  checkSample(input.treatment, 'treatment.');
  if (input.alpha !== undefined) requireAlpha(input.alpha);
  const { theta, xMean } = fitTheta([input.control, input.treatment]);
  const c = cuped({ ...input.control, theta, xMean });
  const t = cuped({ ...input.treatment, theta, xMean });
  const pooledBefore = summarize([...input.control.y, ...input.treatment.y]).variance;
  const pooledAfter = summarize([...c.adjusted, ...t.adjusted]).variance;
  return {
    ...welchTTest({
      control: summarize(c.adjusted),
      treatment: summarize(t.adjusted),
      ...(input.alpha !== undefined ? { alpha: input.alpha } : {}),
    }),
    theta,
    varianceReduction: pooledBefore > 0 ? 1 - pooledAfter / pooledBefore : 0,
  };
}
