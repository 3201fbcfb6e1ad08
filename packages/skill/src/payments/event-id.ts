import { createHash } from 'node:crypto';

/**
 * Analytics event ids for things we may observe more than once (a Stripe webhook redelivered after a
 * crash, the same payment reported by two Stripe events) must be the SAME id every time, so the
 * analytics store's dedup by event_id counts the thing once. This makes a UUIDv7 whose 48-bit time
 * is when the thing happened (keeps ClickHouse ordering and the `isUuidV7` contract) and whose 74
 * "random" bits are the SHA-256 of a stable name, e.g. `stripe:payment_succeeded:pi_123`.
 * Two different names collide with probability ~2^-74: negligible.
 */
export function deterministicEventId(name: string, timestampMs: number): string {
  if (!Number.isInteger(timestampMs) || timestampMs < 0 || timestampMs >= 2 ** 48) {
    throw new Error('timestamp must be integer milliseconds within 48 bits');
  }
  const hash = createHash('sha256').update(`pitchline-event:${name}`, 'utf8').digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(timestampMs, 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f); // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
