import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertFetcher } from './cert-fetcher';
import { type AlexaVerificationEnv, alexaVerification } from './middleware';
import { envelope, MERCHANT_ID, makeCa, makeSigner, NOW, SKILL_ID } from './test-fixtures';
import { createAlexaVerifier, type Rejection } from './verifier';

describe('alexaVerification middleware', () => {
  let signer: DevSigner;
  let app: Hono<AlexaVerificationEnv>;
  const rejected: Rejection[] = [];
  const handled: unknown[] = [];

  beforeAll(async () => {
    const ca = await makeCa('ECDSA');
    const made = await makeSigner(ca, 'mw');
    signer = made.signer;
    const verifier = createAlexaVerifier({
      resolveSkill: async (id) => (id === SKILL_ID ? { merchantId: MERCHANT_ID } : null),
      now: () => NOW,
      trustedRoots: [ca.certPem],
      fetcher: createCertFetcher({ prepublished: { 'mw.pem': made.issued.chainPem } }),
    });
    app = new Hono<AlexaVerificationEnv>();
    app.post('/alexa', alexaVerification({ verifier, onRejected: (r) => void rejected.push(r) }), (c) => {
      const envelope = c.get('alexaEnvelope');
      handled.push(envelope);
      return c.json({
        requestType: envelope.request.type,
        skill: c.get('alexaSkill'),
        bytes: c.get('alexaRawBody').byteLength,
      });
    });
  });

  const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    app.request('/alexa', {
      method: 'POST',
      body,
      // As Alexa sends it; fetch would label a string body text/plain, which the middleware refuses.
      headers: { 'content-type': 'application/json', ...headers },
      duplex: 'half',
    } as RequestInit);

  it('runs the handler with the envelope, skill and raw body on success', async () => {
    handled.length = 0;
    const body = envelope({ type: 'IntentRequest' });
    const res = await post(body, { ...signAlexaRequest(body, signer), 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      requestType: 'IntentRequest',
      skill: { skillId: SKILL_ID, merchantId: MERCHANT_ID },
      bytes: Buffer.byteLength(body),
    });
    expect(handled).toEqual([JSON.parse(body)]);
  });

  it('answers 400 with the reason, records it, and never runs the handler', async () => {
    handled.length = 0;
    rejected.length = 0;
    const body = envelope();
    const res = await post(`${body} `, { ...signAlexaRequest(body, signer) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_signature' });
    expect(rejected).toEqual([
      { reason: 'bad_signature', detail: expect.any(String), skillId: SKILL_ID, merchantId: MERCHANT_ID },
    ]);

    const unsigned = await post(body, {});
    expect(await unsigned.json()).toEqual({ error: 'missing_headers' });
    expect(handled).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual(['bad_signature', 'missing_headers']);
  });

  it('refuses a body over 256 KB from its Content-Length, and while reading when the length lies', async () => {
    handled.length = 0;
    rejected.length = 0;
    const big = envelope({ extra: 'x'.repeat(300 * 1024) });
    const headers = { ...signAlexaRequest(big, signer) };

    // A Request built in-process carries no Content-Length unless given; a real client sends one.
    const declared = await post(big, { ...headers, 'content-length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(400);
    expect(await declared.json()).toEqual({ error: 'body_too_large' });
    expect(rejected[0]?.detail).toMatch(/^Content-Length/);

    // A stream claiming 100 bytes but sending more, in chunks, with no way to know the size up front.
    let pulled = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const lying = await post(stream, { ...headers, 'content-length': '100' });
    expect(lying.status).toBe(400);
    expect(rejected[1]).toMatchObject({
      reason: 'body_too_large',
      detail: expect.stringMatching(/^body exceeds/),
    });
    // It stopped reading soon after the cap instead of draining all 6.4 MB.
    expect(pulled).toBeLessThan(10);
    expect(handled).toEqual([]);
  });

  it('still answers 400 when recording the rejection fails', async () => {
    const verifier = createAlexaVerifier({ verify: false, resolveSkill: async () => null });
    const failing = new Hono().post(
      '/alexa',
      alexaVerification({
        verifier,
        onRejected: () => {
          throw new Error('event writer down');
        },
      }),
      (c) => c.text('handler ran'),
    );
    const res = await failing.request('/alexa', {
      method: 'POST',
      body: envelope(),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unknown_skill' });
  });
});
