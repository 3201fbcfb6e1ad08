/** Amazon's replay window: 150 s either way; skill events (AlexaSkillEvent.*) may arrive up to 1 h off. */
export const REQUEST_TOLERANCE_MS = 150_000;
export const SKILL_EVENT_TOLERANCE_MS = 3_600_000;

export type TimestampCheck =
  | { ok: true }
  | { ok: false; reason: 'stale_timestamp' | 'future_timestamp' | 'invalid_envelope'; detail: string };

export function toleranceFor(requestType: string): number {
  return requestType.startsWith('AlexaSkillEvent.') ? SKILL_EVENT_TOLERANCE_MS : REQUEST_TOLERANCE_MS;
}

/** ISO 8601 with an explicit zone: without one, Date.parse would read the server's local time. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

export function checkTimestamp(timestamp: string, requestType: string, now: number): TimestampCheck {
  const at = ISO_WITH_ZONE.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at))
    return { ok: false, reason: 'invalid_envelope', detail: 'request.timestamp is not a date' };
  const tolerance = toleranceFor(requestType);
  const skew = now - at;
  if (skew > tolerance) {
    return { ok: false, reason: 'stale_timestamp', detail: `request is ${Math.round(skew / 1000)} s old` };
  }
  if (-skew > tolerance) {
    return {
      ok: false,
      reason: 'future_timestamp',
      detail: `request is ${Math.round(-skew / 1000)} s ahead`,
    };
  }
  return { ok: true };
}
