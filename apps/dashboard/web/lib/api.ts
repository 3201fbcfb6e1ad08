import type { DashboardApp } from '@pitchline/dashboard-api';
import { type ClientResponse, DetailedError, hc, parseResponse } from 'hono/client';
import { plainIssue } from './issue-words';

/*
 * The typed client of the dashboard API (Hono RPC): paths, bodies and responses come from the
 * server's route types, so a route change breaks this build, not the page at run time. Only the type
 * is imported; nothing of the server reaches the bundle.
 */

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** The session's CSRF token (from /auth/me or the login answer), echoed on every write. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended, so the app shows the login page. */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  const method = (init?.method ?? 'GET').toUpperCase();
  if (!SAFE.has(method) && csrfToken) headers.set('x-csrf-token', csrfToken);
  const res = await fetch(input, { ...init, headers, credentials: 'same-origin' });
  if (res.status === 401 && !String(input).endsWith('/auth/login')) onUnauthorized();
  return res;
}

export const api = hc<DashboardApp>(`${window.location.origin}/api`, { fetch: apiFetch });

/** An API answer that was not 2xx, with the server's error body (`{ error, reason?, issues? }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(describeError(status, body));
    this.name = 'ApiError';
  }
}

export type ApiIssue = { path: (string | number)[]; message: string };

export type ApiErrorBody = {
  error?: string;
  reason?: string;
  reasons?: string[];
  issues?: ApiIssue[];
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const isIssue = (value: unknown): value is ApiIssue =>
  typeof value === 'object' &&
  value !== null &&
  'path' in value &&
  Array.isArray(value.path) &&
  value.path.every((p) => typeof p === 'string' || typeof p === 'number') &&
  'message' in value &&
  typeof value.message === 'string';

/**
 * The fields of an error answer the pages read, each checked: a proxy's HTML error page, or a body
 * that is not the API's, reads as empty rather than as something it is not.
 */
function errorBody(data: unknown): ApiErrorBody {
  if (typeof data !== 'object' || data === null) return {};
  return {
    error: 'error' in data ? text(data.error) : undefined,
    reason: 'reason' in data ? text(data.reason) : undefined,
    reasons:
      'reasons' in data && Array.isArray(data.reasons)
        ? data.reasons.filter((r) => typeof r === 'string')
        : undefined,
    issues: 'issues' in data && Array.isArray(data.issues) ? data.issues.filter(isIssue) : undefined,
  };
}

function describeError(status: number, body: ApiErrorBody): string {
  if (body.reasons?.length) return body.reasons.join('; ');
  if (body.reason) return body.reason;
  if (body.issues?.length) return body.issues.map((i) => plainIssue(i)).join(' ');
  if (status === 404) return 'not found';
  if (status === 403) return 'you do not have permission to do this';
  return body.error ?? `request failed (${status})`;
}

/**
 * Unwraps a typed RPC response: the body of the route's 2xx answer (undefined for a 204), or an
 * ApiError. The success type is hono's `parseResponse` reading of the route's own response types, so
 * pages keep the server's types without restating or casting them.
 */
export async function ok<R extends ClientResponse<unknown>>(response: R | Promise<R>) {
  try {
    return await parseResponse(response);
  } catch (error) {
    if (error instanceof DetailedError && typeof error.statusCode === 'number') {
      throw new ApiError(error.statusCode, errorBody(error.detail?.data));
    }
    throw error;
  }
}
