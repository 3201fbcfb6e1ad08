import type { BinaryArm, MeanArm } from './types';

/**
 * Input checks shared by every public stats function. A NaN or a negative variance does not fail loudly
 * in floating point: it turns into p = 0, t = ∞ or a reversed interval, i.e. into "significant". So bad
 * input is refused with a RangeError that names the argument (e.g. "control.variance"), and callers
 * that can legitimately lack data (an arm nobody saw yet) must say so before calling, not pass NaN.
 */

function fail(name: string, need: string, got: unknown): never {
  throw new RangeError(`${name} must be ${need}, got ${String(got)}`);
}

/** Any number but NaN (±Infinity allowed: a distribution's tail is a legitimate place to ask about). */
export function requireNumber(name: string, x: number): void {
  if (typeof x !== 'number' || Number.isNaN(x)) fail(name, 'a number', x);
}

export function requireFinite(name: string, x: number): void {
  if (!Number.isFinite(x)) fail(name, 'a finite number', x);
}

export function requireNonNegative(name: string, x: number): void {
  if (!(Number.isFinite(x) && x >= 0)) fail(name, 'a finite number ≥ 0', x);
}

export function requirePositive(name: string, x: number): void {
  if (!(Number.isFinite(x) && x > 0)) fail(name, 'a finite number > 0', x);
}

/** A degrees-of-freedom or shape parameter: > 0, +Infinity allowed where the limit exists. */
export function requirePositiveOrInfinite(name: string, x: number): void {
  if (!(x > 0)) fail(name, 'a number > 0', x);
}

export function requireProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) fail(name, 'in [0, 1]', p);
}

/** A significance level: 0 < α < 1 (α ≥ 1 would give a reversed interval). */
export function requireAlpha(alpha: number, name = 'alpha'): void {
  if (!(alpha > 0 && alpha < 1)) fail(name, 'in (0, 1)', alpha);
}

export function requireFiniteArray(name: string, xs: readonly number[]): void {
  for (let i = 0; i < xs.length; i++) requireFinite(`${name}[${i}]`, xs[i] as number);
}

/** n > 0 users, 0 ≤ conversions ≤ n, both finite. `minN` is the least n the caller can use. */
export function requireBinaryArm(name: string, arm: BinaryArm, minN = 1): void {
  if (!(Number.isFinite(arm.n) && arm.n >= minN)) fail(`${name}.n`, `a finite number ≥ ${minN}`, arm.n);
  if (!(Number.isFinite(arm.conversions) && arm.conversions >= 0 && arm.conversions <= arm.n)) {
    fail(`${name}.conversions`, `in [0, ${name}.n = ${arm.n}]`, arm.conversions);
  }
}

/** n ≥ minN, a finite mean and a finite variance ≥ 0. */
export function requireMeanArm(name: string, arm: MeanArm, minN = 1): void {
  if (!(Number.isFinite(arm.n) && arm.n >= minN)) fail(`${name}.n`, `a finite number ≥ ${minN}`, arm.n);
  requireFinite(`${name}.mean`, arm.mean);
  requireNonNegative(`${name}.variance`, arm.variance);
}
