import { hashAccessToken, type LinkedCustomer, type PitchlineDb } from '@pitchline/db';
import { resolveLinkedCustomer } from '../../payments/linked-customer';

export interface LinkedCustomerSource {
  /**
   * For the checkout read-back only: may answer from memory for a short while. Anything that moves
   * money asks the database itself (resolveLinkedCustomer), so a link revoked a moment ago is still
   * caught before a charge.
   */
  forReadBack(merchantId: string, accessToken: string | undefined): Promise<LinkedCustomer | undefined>;
}

export interface LinkedCustomerCacheOptions {
  /** Default 30 s, like the skill → merchant directory. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * The read-back ("your order … shall I place it?") is a frequent turn and used to cost a database
 * round trip each time; on embedded PGlite one indexed lookup costs ~2 ms of CPU, more than the rest of
 * the turn together. Only found customers are kept: a shopper who links their account mid-session is
 * heard on the very next checkout, never told to link again from a stale "not linked". Keys are the
 * access token's SHA-256 (as stored in the database) plus the merchant, never the bearer token itself.
 */
export function createLinkedCustomerCache(
  db: PitchlineDb,
  options: LinkedCustomerCacheOptions = {},
): LinkedCustomerSource {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { at: number; customer: LinkedCustomer }>();
  return {
    async forReadBack(merchantId, accessToken) {
      if (!accessToken) return undefined;
      const key = `${merchantId}:${hashAccessToken(accessToken)}`;
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.customer;
      const customer = await resolveLinkedCustomer(db, merchantId, accessToken);
      if (customer) {
        entries.delete(key);
        // Bounded, oldest first: a flood of valid tokens cannot grow memory without limit.
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(key, { at: now(), customer });
      } else {
        entries.delete(key);
      }
      return customer;
    },
  };
}
