import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The unauthenticated login reads an e-mail address and a password: nothing near this. */
export const LOGIN_BODY_LIMIT_BYTES = 16 * 1024;
/**
 * The largest body a signed-in caller sends is an experiment definition: 10 variants of up to 20,000
 * template characters, which JSON escaping can double. Anything above that is not a dashboard request.
 */
export const API_BODY_LIMIT_BYTES = 512 * 1024;

/**
 * Refuses a body over `limitBytes` before anything reads it whole: by its Content-Length when it has
 * one, otherwise counted as it streams in and dropped at the limit. The answer is the project's JSON
 * error shape, so the SPA can say what happened.
 */
export function limitBody(limitBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: limitBytes,
    onError: (c) => c.json({ error: 'payload_too_large' as const, limitBytes }, 413),
  });
}
