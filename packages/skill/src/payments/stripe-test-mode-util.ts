import { randomBytes } from 'node:crypto';
import type { TestModeResponse } from './stripe-test-mode-shapes';

type Obj = Record<string, unknown>;

/* Ids, copies, error envelopes and request fingerprints, as Stripe makes them. */

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function missing(kind: string, id: string): TestModeResponse {
  return errorResponse(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param: 'id',
    message: `No such ${kind}: '${id}'`,
  });
}

export function errorResponse(status: number, error: Obj): TestModeResponse {
  return { status, body: { error } };
}

/** Key order must not change the fingerprint: Stripe compares parameters, not bytes. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Obj)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
