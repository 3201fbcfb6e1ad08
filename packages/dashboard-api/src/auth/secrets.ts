import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 256 bits, unguessable, safe in a cookie or header. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * The session's CSRF token, derived from the session token so it needs no storage of its own in
 * clear and `/auth/me` can hand it out again on any later request. Only someone holding the HttpOnly
 * session cookie's value can compute it, which a cross-site page cannot.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`pitchline-csrf:${sessionToken}`).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
