/**
 * The closed set of reasons a request is rejected. They are stored in `request_rejected` events and
 * graphed on the dashboard, so they are stable snake_case codes: add new ones, never rename.
 */
export const REJECTION_REASONS = [
  'missing_headers',
  'body_too_large',
  'invalid_json',
  'invalid_envelope',
  'unknown_skill',
  'bad_cert_url',
  'cert_fetch_failed',
  'cert_invalid',
  'cert_expired',
  'cert_not_yet_valid',
  'cert_untrusted',
  'cert_san_mismatch',
  'bad_signature',
  'stale_timestamp',
  'future_timestamp',
  'unsupported_media_type',
  // Too many distinct certificate URLs to download this minute: refused without fetching this one.
  'cert_fetch_limited',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The event contract bounds `detail` to 500 characters; details may quote attacker-supplied text. */
export function boundDetail(detail: string): string {
  return detail.length > 500 ? `${detail.slice(0, 497)}...` : detail;
}
