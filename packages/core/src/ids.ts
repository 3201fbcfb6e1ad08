import { createHmac } from 'node:crypto';
import { version as uuidVersion, v7 as uuidv7, validate as validateUuid } from 'uuid';

/**
 * Event ids are UUIDv7: made where the event happens, time-ordered (so they sort and compress well
 * in ClickHouse) and unique without coordination between skill instances.
 */
export function newEventId(): string {
  return uuidv7();
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
