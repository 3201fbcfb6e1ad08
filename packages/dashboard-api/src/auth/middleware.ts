import type { ApiKeyScope } from '@pitchline/db';
import type { Context, MiddlewareHandler } from 'hono';
import type { Settings } from '../deps';
import { forbidden, unauthorized } from '../http/errors';
import { resolveApiKey } from './api-keys';
import type { Caller, DashboardEnv } from './caller';
import { readSessionCookie, writeSessionCookie } from './cookies';
import { safeEqual } from './secrets';
import { resolveSession } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Resolves the caller from `Authorization: Bearer plk_…` or the session cookie, else 401. A request
 * carrying a bearer key is judged by the key alone, never by a cookie that happens to ride along.
 */
export function authenticate(settings: Settings): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    let caller: Caller | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      caller = match?.[1] ? await resolveApiKey(settings, match[1]) : undefined;
    } else {
      const token = readSessionCookie(c);
      const session = token ? await resolveSession(settings, token) : undefined;
      if (session?.renewedUntil && token) writeSessionCookie(c, settings, token, session.renewedUntil);
      caller = session?.caller;
    }
    if (!caller) return unauthorized(c);
    c.set('caller', caller);
    await next();
  };
}

/**
 * Cross-site request forgery guard for every state-changing request. Two independent checks:
 * - Origin: a browser sends it on every cross-origin write; when present it must be the API's own
 *   origin or an allowed one (no Origin means a non-browser client, which carries no ambient cookie
 *   risk beyond the token check below).
 * - Token: a session-authenticated write must echo the session's CSRF token (from GET /auth/me) in
 *   the X-CSRF-Token header. A forging page can make the browser send the cookie, not read the token.
 * Bearer-key requests need no token (no ambient credential), and keys cannot write anyway.
 */
export function originCheck(settings: Settings): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && !originAllowed(c, settings)) {
      return forbidden(c, 'cross-origin request refused');
    }
    await next();
  };
}

export function csrfToken(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (!SAFE_METHODS.has(c.req.method) && caller.kind === 'session') {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !safeEqual(sent, caller.csrfToken)) return forbidden(c, 'missing or invalid CSRF token');
    }
    await next();
  };
}

function originAllowed(c: Context, settings: Settings): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  return origin === new URL(c.req.url).origin || settings.allowedOrigins.includes(origin);
}

/**
 * What a bearer key may do is its scopes: a key without this one is refused (403). Members are judged
 * by their role instead, so a session passes.
 */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (caller.kind === 'api_key' && !caller.scopes.includes(scope)) {
      return forbidden(c, `this API key lacks the ${scope} scope`);
    }
    await next();
  };
}

/**
 * Experiment writes: owners signed in, or a key with experiments:write whose creator is still a
 * member (the history names a person for every change).
 */
export function requireExperimentWrite(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (caller.kind === 'api_key') {
      if (!caller.scopes.includes('experiments:write')) {
        return forbidden(c, 'this API key lacks the experiments:write scope');
      }
      if (caller.actingMemberId === null) return forbidden(c, 'the member who made this API key was removed');
    } else if (caller.role !== 'owner') {
      return forbidden(c, 'this role can only read');
    }
    await next();
  };
}

/** Writes are for owners: analysts and API keys read only. */
export function requireWrite(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.get('caller').role !== 'owner') return forbidden(c, 'this role can only read');
    await next();
  };
}

/** Account administration (API keys) is for owners signed in, not for keys. */
export function requireOwnerSession(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (caller.kind !== 'session' || caller.role !== 'owner') return forbidden(c, 'owners only');
    await next();
  };
}

/** Routes about the signed-in person (members list, logout) need a session, not a key. */
export function requireSession(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.get('caller').kind !== 'session') return forbidden(c, 'sign in to use this route');
    await next();
  };
}
