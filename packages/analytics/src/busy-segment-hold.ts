/**
 * How far past batchMaxDelayMs a busy segment may be held to reach batchMinEvents. Every INSERT has a
 * large fixed cost in ClickHouse (a new part of ~45 column files, then merges that rewrite it): measured
 * here on chDB with ~1 KB rows, 1k-row INSERTs cost ~120 µs of CPU per row, 2.5k ~70, 5k ~35–45, 20k ~17–25.
 * At 250 ms, a busy writer's segments held ~2.5k rows and the writer spent about twice the CPU per event
 * of plain 20k-row INSERTs (bench:ingest: 81 vs 42 µs; with a 1 s bound, 57 vs 42). Quiet traffic is not
 * held: a segment that would not reach the minimum within the cap is sealed at batchMaxDelayMs as before.
 */
export const BUSY_DELAY_FACTOR = 4;

export interface OpenSegmentFill {
  /** Events written to the segment so far. */
  events: number;
  /** Milliseconds since its first write. */
  ageMs: number;
  batchMaxDelayMs: number;
  batchMinEvents: number;
}

/**
 * When a segment's time bound passes: undefined to seal it now, or how many more milliseconds to hold it,
 * because it fills fast enough to reach batchMinEvents within BUSY_DELAY_FACTOR × batchMaxDelayMs.
 */
export function busySegmentHoldMs(fill: OpenSegmentFill): number | undefined {
  const { events, ageMs, batchMaxDelayMs, batchMinEvents } = fill;
  const cap = batchMaxDelayMs * BUSY_DELAY_FACTOR;
  if (events >= batchMinEvents || ageMs >= cap) return undefined;
  if ((events / Math.max(ageMs, 1)) * cap < batchMinEvents) return undefined;
  return Math.max(1, Math.min(batchMaxDelayMs, cap - ageMs));
}
