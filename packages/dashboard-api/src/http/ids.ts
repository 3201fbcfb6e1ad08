/**
 * Ids in paths are UUIDs; anything else is answered like an unknown id (404) rather than reaching
 * Postgres, where a malformed uuid is a cast error.
 */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
