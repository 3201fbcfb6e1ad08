import type { EventType } from '@pitchline/core';

/**
 * Which events a probe reads: without a scope, every event in the handle's database (a test's stores are
 * its own); narrowed to one merchant, one session and/or some event types as the test asks.
 */
export interface EventScope {
  merchantId?: string;
  sessionId?: string;
  types?: readonly EventType[];
}

/** The WHERE clause of a scope (plus fixed conditions of the probe's own); values travel as query parameters. */
export function scopeFilter(
  scope: EventScope = {},
  conditions: readonly string[] = [],
): { where: string; params: Record<string, unknown> } {
  const all = [...conditions];
  const params: Record<string, unknown> = {};
  if (scope.merchantId !== undefined) {
    all.push('merchant_id = {merchantId:UUID}');
    params.merchantId = scope.merchantId;
  }
  if (scope.sessionId !== undefined) {
    all.push('session_id = {sessionId:String}');
    params.sessionId = scope.sessionId;
  }
  if (scope.types !== undefined) {
    all.push('type IN {types:Array(String)}');
    params.types = scope.types;
  }
  return { where: all.length > 0 ? `WHERE ${all.join(' AND ')}` : '', params };
}
