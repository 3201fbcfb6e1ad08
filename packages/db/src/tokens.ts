import { createHash } from 'node:crypto';

/**
 * The SHA-256 hex of a bearer secret (Alexa access token, session cookie, CSRF token, API key): what
 * the `*_hash` columns hold. A database leak then yields no usable secret, while lookups stay a
 * single indexed equality. Plain SHA-256 (no salt, no stretching) is enough because these secrets
 * are long random strings, not passwords a person chose.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What `linked_customers.access_token_hash` holds. */
export const hashAccessToken = hashToken;
