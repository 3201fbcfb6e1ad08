import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * How a receiver knows a delivery came from us and was not replayed (README "Alerts"), the scheme of
 * Stripe's webhooks: the header
 *
 *   Pitchline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes with the rule's
 * signing secret, compares in constant time, and refuses a timestamp older than its tolerance (5 minutes
 * by default), so a captured delivery cannot be sent again later. Each retry is signed afresh.
 */

export const SIGNATURE_HEADER = 'Pitchline-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/** What a receiver runs: whether `header` signs `body` with `secret`, recently enough. */
export function verifySignature(input: {
  body: string;
  header: string | undefined | null;
  secret: string;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): SignatureCheck {
  if (!input.header) return { ok: false, reason: 'no signature header' };
  const parts = new Map<string, string[]>();
  for (const item of input.header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isSafeInteger(t)) return { ok: false, reason: 'no timestamp in the signature header' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'the timestamp is outside the tolerance (a replay, or a clock far off)' };
  }
  const expected = Buffer.from(hmac(input.secret, t, input.body), 'hex');
  const matches = (parts.get('v1') ?? []).some((sig) => {
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp: t } : { ok: false, reason: 'the signature does not match' };
}
