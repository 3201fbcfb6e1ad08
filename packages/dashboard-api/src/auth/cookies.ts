import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Settings } from '../deps';

export const SESSION_COOKIE = 'pitchline_session';

function isSecure(c: Context, settings: Settings): boolean {
  if (settings.secureCookies !== 'auto') return settings.secureCookies;
  // Behind a TLS-terminating proxy the URL says http; the forwarded header can only make the cookie
  // stricter, so trusting it here is harmless.
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, settings: Settings, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    // Lax: the cookie rides top-level navigations (a link to the dashboard keeps you logged in) but
    // not cross-site subresource or form POSTs; writes are guarded by the CSRF token besides.
    sameSite: 'Lax',
    secure: isSecure(c, settings),
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - settings.now().getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, settings: Settings): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(c, settings),
  });
}
