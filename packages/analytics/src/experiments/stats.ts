/**
 * The statistics the results need, as pure functions of sufficient statistics. This is a stop-gap until
 * packages/core/src/stats lands (compareProportions, welchTTest, msprtPValue, sampleRatioMismatch, holm …);
 * the formulas are the textbook ones, written here so results can be assembled and tested meanwhile.
 */

/** Standard normal CDF, by erfc (W. J. Cody's rational approximations via the complementary error function). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** erfc with relative error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit), enough for p-values. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Inverse normal CDF (Acklam's algorithm, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** Two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Upper tail of the chi-square distribution: Q(k/2, x/2), the regularised upper incomplete gamma. */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

function logGamma(z: number): number {
  const g = 7;
  const coef = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const zz = z - 1;
  let x = coef[0] as number;
  for (let i = 1; i < g + 2; i++) x += (coef[i] as number) / (zz + i);
  const t = zz + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}

function gammaQ(a: number, x: number): number {
  if (x < a + 1) {
    // Series for P, then Q = 1 − P.
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  // Lentz's continued fraction for Q.
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Pearson's chi-square goodness of fit of observed counts to expected shares (weights, any scale). */
export function sampleRatioMismatch(
  observed: number[],
  weights: number[],
): { chiSquare: number; df: number; pValue: number } {
  const total = observed.reduce((s, o) => s + o, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  let chiSquare = 0;
  let df = -1;
  observed.forEach((o, i) => {
    const expected = (total * (weights[i] ?? 0)) / weightSum;
    if (expected > 0) {
      chiSquare += (o - expected) ** 2 / expected;
      df++;
    } else if (o > 0) chiSquare = Number.POSITIVE_INFINITY;
  });
  if (total === 0 || df < 1) return { chiSquare: 0, df: Math.max(df, 0), pValue: 1 };
  return { chiSquare, df, pValue: chiSquareSurvival(chiSquare, df) };
}

/** Holm's step-down adjustment: controls the family-wise error rate for any dependence between tests. */
export function holm(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Mixture sequential probability ratio test (mSPRT, Johari et al. 2017 "Peeking at A/B tests") for a
 * difference of means estimated as `diff` with variance `v`: with a N(0, τ²) mixture over the true
 * difference, the likelihood ratio against H0: difference = θ0 is
 *   Λ = sqrt(v / (v + τ²)) · exp( τ² (diff − θ0)² / (2 v (v + τ²)) ).
 * Under H0, Λ is a nonnegative martingale with mean 1, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α: its
 * running reciprocal is a p-value valid at every look, however often one looks (always valid).
 */
export function msprtLikelihoodRatio(diff: number, v: number, tau2: number, theta0 = 0): number {
  if (!(v > 0) || !(tau2 > 0)) return 1;
  return Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * (diff - theta0) ** 2) / (2 * v * (v + tau2)));
}

/** Always-valid p-values of a sequence of looks: p_k = min(1, p_{k−1}, 1 / Λ_k). */
export function alwaysValidPValues(looks: { diff: number; v: number; tau2: number }[]): number[] {
  let p = 1;
  return looks.map((l) => {
    p = Math.min(p, 1 / msprtLikelihoodRatio(l.diff, l.v, l.tau2));
    return p;
  });
}

/**
 * The confidence sequence that inverts the mSPRT: every θ0 with Λ(θ0) < 1/α. It covers the true
 * difference at all looks simultaneously with probability ≥ 1 − α:
 *   |diff − θ0| < sqrt( 2 v (v + τ²) / τ² · ( ln(1/α) + ½ ln((v + τ²)/v) ) ).
 */
export function msprtInterval(diff: number, v: number, tau2: number, alpha: number): [number, number] {
  if (!(v > 0) || !(tau2 > 0)) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const half = Math.sqrt(
    ((2 * v * (v + tau2)) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log((v + tau2) / v)),
  );
  return [diff - half, diff + half];
}
