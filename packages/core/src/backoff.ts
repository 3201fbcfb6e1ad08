/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so many writers that lost
 * ClickHouse at the same moment do not retry in lockstep, yet none retries almost immediately.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}
