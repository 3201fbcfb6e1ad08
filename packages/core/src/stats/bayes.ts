import { betaCdf, betaPdf, betaQuantile, normalCdf, normalPdf } from './distributions';
import { integrate } from './integrate';
import type { BinaryArm, MeanArm } from './types';
import { requireBinaryArm, requireMeanArm, requirePositive } from './validate';

export interface BetaPrior {
  alpha: number;
  beta: number;
}

interface BetaPosterior {
  a: number;
  b: number;
}

export interface BayesBinaryResult {
  /** P(p_t > p_c | data) */
  chanceToBeatControl: number;
  /** E[max(p_c − p_t, 0)]: conversion rate given up, on average, by shipping the treatment. */
  expectedLoss: number;
  /** E[max(p_t − p_c, 0)]: rate given up by keeping the control. */
  expectedLossControl: number;
}

/**
 * Beta–binomial model: p ~ Beta(α, β) a priori, posterior Beta(α + x, β + n − x) per arm.
 * P(p_t > p_c) = ∫₀¹ f_t(x) F_c(x) dx and, since max(A − B, 0) = ∫₀¹ 1{B < s < A} ds,
 * E[max(p_c − p_t, 0)] = ∫₀¹ F_t(s)(1 − F_c(s)) ds. Both integrals by adaptive Gauss–Kronrod with
 * breakpoints at quantiles of each posterior, to an absolute error below 1e-10 (exact up to quadrature,
 * unlike Monte Carlo; checked against SciPy `integrate.quad` in the reference tests).
 * Reference: Stucchio (2015), "Bayesian A/B testing at VWO"; Miller (2015) for the closed form.
 */
export function bayesBinary(input: {
  control: BinaryArm;
  treatment: BinaryArm;
  prior?: BetaPrior;
}): BayesBinaryResult {
  const prior = checkedPrior(input.prior);
  const c = posterior(input.control, prior, 'control');
  const t = posterior(input.treatment, prior, 'treatment');
  const points = breakpoints([c, t]);
  const chance = integrate((x) => betaPdf(x, t.a, t.b) * betaCdf(x, c.a, c.b), points).value;
  const lossT = integrate((s) => betaCdf(s, t.a, t.b) * (1 - betaCdf(s, c.a, c.b)), points).value;
  const lossC = integrate((s) => betaCdf(s, c.a, c.b) * (1 - betaCdf(s, t.a, t.b)), points).value;
  return {
    chanceToBeatControl: clamp01(chance),
    expectedLoss: Math.max(0, lossT),
    expectedLossControl: Math.max(0, lossC),
  };
}

export interface BayesMultiResult {
  /** P(arm i has the highest rate), same order as the input; sums to 1 up to quadrature error. */
  chanceToBeBest: number[];
  /** E[max_j p_j − p_i]: expected rate given up by shipping arm i. */
  expectedLoss: number[];
}

/**
 * k arms: P(i best) = ∫₀¹ f_i(x) Π_{j≠i} F_j(x) dx and E[max_j p_j] = ∫₀¹ (1 − Π_j F_j(s)) ds, so the
 * expected loss of arm i is E[max] − E[p_i]. Same deterministic quadrature as bayesBinary (abs. error
 * below ~1e-9 per value).
 */
export function bayesBinaryMulti(input: { arms: readonly BinaryArm[]; prior?: BetaPrior }): BayesMultiResult {
  const prior = checkedPrior(input.prior);
  const posts = input.arms.map((arm, i) => posterior(arm, prior, `arms[${i}]`));
  const points = breakpoints(posts);
  const chanceToBeBest = posts.map(
    (pi, i) =>
      integrate((x) => {
        let v = betaPdf(x, pi.a, pi.b);
        for (let j = 0; j < posts.length && v > 0; j++) {
          const pj = posts[j] as BetaPosterior;
          if (j !== i) v *= betaCdf(x, pj.a, pj.b);
        }
        return v;
      }, points).value,
  );
  const expectedMax = integrate((s) => {
    let prod = 1;
    for (const p of posts) prod *= betaCdf(s, p.a, p.b);
    return 1 - prod;
  }, points).value;
  return {
    chanceToBeBest: chanceToBeBest.map(clamp01),
    expectedLoss: posts.map((p) => Math.max(0, expectedMax - p.a / (p.a + p.b))),
  };
}

export interface BayesNormalResult {
  chanceToBeatControl: number;
  /** E[max(m_c − m_t, 0)] in the metric's unit (e.g. minor currency units per user). */
  expectedLoss: number;
  expectedLossControl: number;
}

/**
 * Revenue per user: with a flat prior and the CLT the posterior of each mean is N(m, s²/n), so
 * D = μ_t − μ_c ~ N(d, σ²), d = m_t − m_c, σ² = s_t²/n_t + s_c²/n_c. Then P(D > 0) = Φ(d/σ),
 * E[max(−D, 0)] = σ φ(d/σ) − d Φ(−d/σ), E[max(D, 0)] = σ φ(d/σ) + d Φ(d/σ) (normal partial expectations).
 */
export function bayesNormal(input: { control: MeanArm; treatment: MeanArm }): BayesNormalResult {
  const { control: c, treatment: t } = input;
  requireMeanArm('control', c);
  requireMeanArm('treatment', t);
  const d = t.mean - c.mean;
  const sigma = Math.sqrt(t.variance / t.n + c.variance / c.n);
  if (!(sigma > 0)) {
    return {
      chanceToBeatControl: d > 0 ? 1 : d < 0 ? 0 : 0.5,
      expectedLoss: Math.max(0, -d),
      expectedLossControl: Math.max(0, d),
    };
  }
  const z = d / sigma;
  return {
    chanceToBeatControl: normalCdf(z),
    expectedLoss: sigma * normalPdf(z) - d * normalCdf(-z),
    expectedLossControl: sigma * normalPdf(z) + d * normalCdf(z),
  };
}

function checkedPrior(prior: BetaPrior = { alpha: 1, beta: 1 }): BetaPrior {
  requirePositive('prior.alpha', prior.alpha);
  requirePositive('prior.beta', prior.beta);
  return prior;
}

/** An arm nobody has seen yet (n = 0) is legitimate: its posterior is the prior. */
function posterior(arm: BinaryArm, prior: BetaPrior, name: string): BetaPosterior {
  requireBinaryArm(name, arm, 0);
  return { a: prior.alpha + arm.conversions, b: prior.beta + arm.n - arm.conversions };
}

const BREAK_QUANTILES = [
  1e-15,
  1e-12,
  1e-9,
  1e-6,
  1e-4,
  0.005,
  0.05,
  0.2,
  0.5,
  0.8,
  0.95,
  0.995,
  1 - 1e-4,
  1 - 1e-6,
  1 - 1e-9,
  1 - 1e-12,
  1 - 1e-15,
];

/**
 * Breakpoints at quantiles of every posterior, so the quadrature never steps over a narrow peak or a
 * long skewed tail (with breakpoints at mean ± k·sd, Beta(10061, 2) lost 1e-7 of its mass beyond 12 sd).
 */
function breakpoints(posts: readonly BetaPosterior[]): number[] {
  const inner: number[] = [];
  for (const { a, b } of posts) {
    for (const q of BREAK_QUANTILES) inner.push(betaQuantile(q, a, b));
  }
  inner.sort((x, y) => x - y);
  // Segments a few ulps wide would put quadrature nodes on 0 or 1, where a density can be infinite.
  const points = [0];
  for (const x of inner) {
    if (x - (points[points.length - 1] as number) > 1e-13 && 1 - x > 1e-13) points.push(x);
  }
  points.push(1);
  return points;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
