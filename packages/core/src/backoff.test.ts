import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles per attempt, keeps half the delay fixed and the other half random, and is capped', () => {
    expect(backoffDelay(1, 100, 30_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 30_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 30_000, () => 0.5)).toBe(600);
    expect(backoffDelay(30, 100, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(30, 100, 30_000, () => 0)).toBe(15_000);
  });
});
