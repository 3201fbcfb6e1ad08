import { describe, expect, it } from 'vitest';
import { BUSY_DELAY_FACTOR, busySegmentHoldMs } from './busy-segment-hold';

const bounds = { batchMaxDelayMs: 100, batchMinEvents: 200 };

describe('busySegmentHoldMs (when a segment whose time bound passed is sealed)', () => {
  it('seals at once a segment that already holds batchMinEvents', () => {
    expect(busySegmentHoldMs({ ...bounds, events: 200, ageMs: 100 })).toBeUndefined();
  });

  it('seals quiet traffic at once: it would not reach the minimum within the cap', () => {
    // 40 events in 100 ms project to 160 by the 400 ms cap: short of 200, so no reason to wait.
    expect(busySegmentHoldMs({ ...bounds, events: 40, ageMs: 100 })).toBeUndefined();
  });

  it('holds a segment filling fast enough, one time bound at a time', () => {
    // 150 events in 100 ms project to 600 by the cap.
    expect(busySegmentHoldMs({ ...bounds, events: 150, ageMs: 100 })).toBe(100);
  });

  it('never holds past BUSY_DELAY_FACTOR × batchMaxDelayMs', () => {
    const cap = BUSY_DELAY_FACTOR * bounds.batchMaxDelayMs;
    expect(busySegmentHoldMs({ ...bounds, events: 199, ageMs: cap - 10 })).toBe(10);
    expect(busySegmentHoldMs({ ...bounds, events: 199, ageMs: cap })).toBeUndefined();
  });
});
