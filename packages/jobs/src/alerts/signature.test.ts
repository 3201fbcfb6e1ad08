import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature';

const secret = 'whsec_test-secret';
const body = JSON.stringify({ text: 'Alert firing: Not understood is 12.0 %', blocks: [] });
const t = 1_800_000_000;

describe('webhook signatures', () => {
  it('round trip: what we sign verifies with the same secret', () => {
    const header = signatureHeader(secret, body, t);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature({ body, header, secret, nowSeconds: t + 10 })).toEqual({ ok: true, timestamp: t });
  });

  it('is the documented scheme: HMAC-SHA256 over "<t>.<body>", hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('refuses another secret, a changed body, a changed timestamp, a replay and a missing header', () => {
    const header = signatureHeader(secret, body, t);
    const now = t + 10;
    expect(verifySignature({ body, header, secret: 'whsec_other', nowSeconds: now })).toMatchObject({
      ok: false,
      reason: 'the signature does not match',
    });
    expect(verifySignature({ body: `${body} `, header, secret, nowSeconds: now }).ok).toBe(false);
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifySignature({ body, header: shifted, secret, nowSeconds: now }).ok).toBe(false);
    expect(verifySignature({ body, header, secret, nowSeconds: t + 301 })).toMatchObject({ ok: false });
    expect(verifySignature({ body, header: undefined, secret, nowSeconds: now })).toMatchObject({
      ok: false,
      reason: 'no signature header',
    });
    expect(verifySignature({ body, header: 'v1=abc', secret, nowSeconds: now }).ok).toBe(false);
  });

  it('accepts any of several v1 signatures (a receiver rotating secrets)', () => {
    const header = `${signatureHeader(secret, body, t)},v1=${'0'.repeat(64)}`;
    expect(verifySignature({ body, header, secret, nowSeconds: t }).ok).toBe(true);
  });
});
