import { createHash } from 'node:crypto';

/**
 * What `linked_customers.access_token_hash` holds: the SHA-256 hex of an Alexa access token. A
 * database leak then yields no usable token, while lookups stay a single indexed equality.
 */
export function hashAccessToken(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}
