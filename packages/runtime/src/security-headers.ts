import type { MiddlewareHandler } from 'hono';

/*
 * Headers for every answer of a deployable that serves the dashboard (its page, its files and /api):
 * - CSP: scripts only from our origin, never inline or eval'd, so an injected string cannot run. The
 *   built index.html loads its one module by URL (the build refuses an inline script, see
 *   apps/dashboard/vite-no-inline-script.ts). Styles allow inline: React's style props and recharts
 *   write style attributes; a style cannot run code.
 * - HSTS only when the public URL is https: on plain http (local development) a browser would ignore
 *   it, and sent by a server that is not served over TLS it could lock users out of a later http setup.
 * - Referrer-Policy no-referrer: dashboard URLs carry session and experiment ids.
 * - Permissions-Policy: the dashboard uses no device feature; nothing framed or injected may ask.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'bluetooth=()',
  'display-capture=()',
].join(', ');

export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Permissions-Policy', PERMISSIONS_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    if (options.https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
