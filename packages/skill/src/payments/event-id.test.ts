import { isUuidV7 } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { deterministicEventId } from './event-id';

describe('deterministicEventId', () => {
  const t = Date.UTC(2026, 10, 27, 5, 0, 0);

  it('gives the same UUIDv7 for the same name and time, a different one otherwise', () => {
    const a = deterministicEventId('stripe:payment_succeeded:order-1', t);
    expect(isUuidV7(a)).toBe(true);
    expect(deterministicEventId('stripe:payment_succeeded:order-1', t)).toBe(a);
    expect(deterministicEventId('stripe:payment_succeeded:order-2', t)).not.toBe(a);
    expect(deterministicEventId('stripe:payment_succeeded:order-1', t + 1)).not.toBe(a);
  });

  it('carries the time in its first 48 bits, so ids sort by time', () => {
    const id = deterministicEventId('x', t);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(t);
    expect(deterministicEventId('zzz', t) < deterministicEventId('aaa', t + 1)).toBe(true);
  });

  it('refuses times that do not fit', () => {
    expect(() => deterministicEventId('x', -1)).toThrow();
    expect(() => deterministicEventId('x', 2 ** 48)).toThrow();
    expect(() => deterministicEventId('x', 1.5)).toThrow();
  });
});
