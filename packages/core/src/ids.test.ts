import { describe, expect, it } from 'vitest';
import { isUuidV7, newEventId } from './ids';

describe('newEventId', () => {
  it('makes valid, unique UUIDv7s that strictly increase, across many pool refills in one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => newEventId());
    for (const id of ids) expect(isUuidV7(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
  });

  it('starts each millisecond at a random sequence below 2^31, so increments cannot wrap early', async () => {
    const starts: string[] = [];
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      starts.push(newEventId());
    }
    // Byte 6 carries the version (7) and the top 4 bits of the 31-bit sequence: at most 0x77.
    for (const id of starts) expect(Number.parseInt(id.slice(14, 16), 16)).toBeLessThanOrEqual(0x77);
    // Random, not a counter from zero: twenty fresh milliseconds do not all start alike.
    expect(new Set(starts.map((id) => id.slice(14, 23))).size).toBeGreaterThan(15);
  });
});
