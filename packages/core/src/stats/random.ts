import { requireFinite, requirePositive, requireProbability } from './validate';
/**
 * Seeded pseudo-random numbers for simulations and Monte Carlo (never for security).
 * xoshiro128** (Blackman & Vigna 2018) seeded through splitmix32, so a seed gives the same stream on
 * every platform; samplers: polar normal (Marsaglia), gamma (Marsaglia & Tsang 2000), beta from two
 * gammas, binomial by Knuth's beta splitting (TAOCP vol. 2 §3.4.1) down to inversion.
 */
export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  next(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  requireFinite('seed', seed);
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Standard normal by Marsaglia's polar method. */
export function sampleNormal(rng: Rng): number {
  if (typeof rng?.next !== 'function') throw new RangeError('rng.next must be a function');
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000): d = k − 1/3, c = 1/√(9d), accept (1 + c z)³ d when
 * ln U < z²/2 + d − d v + d ln v. For k < 1, Gamma(k) = Gamma(k + 1) · U^(1/k).
 */
export function sampleGamma(rng: Rng, shape: number): number {
  requirePositive('shape', shape);
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = sampleNormal(rng);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * z ** 4) return d * v;
    if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  requirePositive('a', a);
  requirePositive('b', b);
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/**
 * Binomial(n, p), exact. Large n: the i-th order statistic of n uniforms is Beta(i, n + 1 − i), so
 * splitting at the median order statistic leaves a smaller binomial on one side (Knuth). Small n:
 * inversion with the recurrence P(k+1) = P(k) · (n − k)/(k + 1) · p/q.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  requireProbability('p', p);
  if (p <= 0 || n === 0) return 0;
  if (p >= 1) return n;
  let count = 0;
  let m = n;
  let prob = p;
  while (m > 40) {
    const i = Math.floor((m + 1) / 2);
    const x = sampleBeta(rng, i, m + 1 - i);
    if (x < prob) {
      count += i;
      prob = (prob - x) / (1 - x);
      m -= i;
    } else {
      prob /= x;
      m = i - 1;
    }
  }
  return count + binomialInversion(rng, m, prob);
}

function binomialInversion(rng: Rng, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialInversion(rng, n, 1 - p);
  const q = 1 - p;
  const s = p / q;
  let r = q ** n;
  let u = rng.next();
  let k = 0;
  while (u > r && k < n) {
    u -= r;
    k += 1;
    r *= ((n - k + 1) / k) * s;
  }
  return k;
}
