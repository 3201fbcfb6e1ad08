import { createHmac, randomFillSync } from 'node:crypto';
import { version as uuidVersion, v7 as uuidv7, validate as validateUuid } from 'uuid';

// uuid asks crypto.getRandomValues for 16 bytes per id (~2 µs, a syscall on a busy path: several ids
// per skill turn). The bytes come from a pool instead, refilled every 256 ids; the clock and sequence
// are kept exactly as uuid keeps them for v7(), so ids stay strictly increasing within a process.
const randomPool = new Uint8Array(16 * 256);
let poolAt = randomPool.length;
const v7State = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * Event ids are UUIDv7: made where the event happens, time-ordered (so they sort and compress well
 * in ClickHouse) and unique without coordination between skill instances.
 */
export function newEventId(): string {
  if (poolAt === randomPool.length) {
    randomFillSync(randomPool);
    poolAt = 0;
  }
  const random = randomPool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  // uuid's updateV7State: a new millisecond starts a random sequence, the same one increments it.
  const now = Date.now();
  if (now > v7State.msecs) {
    v7State.seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
    v7State.msecs = now;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs++;
  }
  return uuidv7({ random, msecs: v7State.msecs, seq: v7State.seq });
}

/** Ids for rows we create (orders, experiments …) are UUIDv7 too, for index locality in Postgres. */
export const newId = newEventId;

export function isUuidV7(value: string): boolean {
  return validateUuid(value) && uuidVersion(value) === 7;
}

/** The nil UUID stands for "no merchant": a request rejected before its skill id was known. */
export const UNKNOWN_MERCHANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Alexa user ids are long, opaque and personal. Analytics stores a keyed hash of them: stable for one
 * deployment (the same shopper is the same user across sessions), useless to anyone without the key.
 */
export function hashUserId(alexaUserId: string, key: string): string {
  return createHmac('sha256', key).update(alexaUserId).digest('base64url').slice(0, 32);
}
