import { hashUserId } from '@pitchline/core';

/**
 * hashUserId (an HMAC, ~10 µs) for every request, remembered per Alexa user id: a shopper's turns
 * come one after another, so most requests are from someone just seen. Bounded; when full it starts
 * over rather than tracking recency, which costs one HMAC per shopper again and nothing more.
 */
export function createUserIdHasher(key: string, maxEntries = 20_000): (alexaUserId: string) => string {
  const hashed = new Map<string, string>();
  return (alexaUserId) => {
    let id = hashed.get(alexaUserId);
    if (id === undefined) {
      id = hashUserId(alexaUserId, key);
      if (hashed.size >= maxEntries) hashed.clear();
      hashed.set(alexaUserId, id);
    }
    return id;
  };
}
