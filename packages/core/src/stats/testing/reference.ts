import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

// Expected values from SciPy/statsmodels (scripts/stats-reference/generate.py); tests never run Python.
export const ref = JSON.parse(readFileSync(new URL('../fixtures/reference.json', import.meta.url), 'utf8'));

export const TOL = 1e-6;

/** |actual − expected| ≤ 1e-6 · max(1, |expected|). */
export function close(actual: number, expected: number, label: string): void {
  const err = Math.abs(actual - expected);
  if (!(err <= TOL * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${label}: got ${actual}, expected ${expected} (error ${err})`);
  }
}

/** Relative agreement, for tail probabilities far below 1e-6. */
export function closeRelative(actual: number, expected: number, label: string): void {
  const err = Math.abs(actual - expected);
  if (!(err <= TOL * Math.abs(expected) || err <= 1e-15)) {
    throw new Error(
      `${label}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)})`,
    );
  }
}

export function closeAll(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  label: string,
): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    if (Array.isArray(value)) {
      expect(Array.isArray(got), `${label}.${key} is an array`).toBe(true);
      for (const [i, v] of value.entries()) {
        close((got as number[])[i] as number, v as number, `${label}.${key}[${i}]`);
      }
    } else if (typeof value === 'number') {
      close(got as number, value, `${label}.${key}`);
    }
  }
}
