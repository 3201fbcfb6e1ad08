import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertFetcher } from './cert-fetcher';
import { type AlexaVerificationEnv, alexaVerification } from './middleware';
import { envelope, MERCHANT_ID, makeCa, makeSigner, NOW, SKILL_ID } from './test-fixtures';
import { createAlexaVerifier, MAX_BODY_BYTES, type Rejection } from './verifier';

/**
 * The middleware behind Node's HTTP server, as production serves it: a body with a Content-Length is
 * read whole (Node's parser bounds it), anything else through the capped stream. Raw sockets, so the
 * tests can send what no well-behaved client would.
 */
describe('alexaVerification behind Node’s HTTP server', () => {
  let signer: DevSigner;
  let server: Server;
  let port: number;
  const rejected: Rejection[] = [];
  const handled: number[] = [];

  beforeAll(async () => {
    const ca = await makeCa('ECDSA');
    const made = await makeSigner(ca, 'node');
    signer = made.signer;
    const verifier = createAlexaVerifier({
      resolveSkill: async (id) => (id === SKILL_ID ? { merchantId: MERCHANT_ID } : null),
      now: () => NOW,
      trustedRoots: [ca.certPem],
      fetcher: createCertFetcher({ prepublished: { 'node.pem': made.issued.chainPem } }),
    });
    const app = new Hono<AlexaVerificationEnv>();
    app.post('/alexa', alexaVerification({ verifier, onRejected: (r) => void rejected.push(r) }), (c) => {
      handled.push(c.get('alexaRawBody').byteLength);
      return c.json({ bytes: c.get('alexaRawBody').byteLength });
    });
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Sends raw bytes on a fresh connection; resolves with everything the server wrote back. */
  function raw(head: string, body: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.write(head);
      socket.end(body);
    });
  }
  const headOf = (headers: Record<string, string | number>) =>
    `POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
  const statusOf = (answer: string) => Number(answer.slice(9, 12));
  const chunked = (body: Buffer, size: number) => {
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; at += size) {
      const piece = body.subarray(at, at + size);
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    return Buffer.concat(parts);
  };

  it('verifies a body sent with its Content-Length, and the same body sent chunked', async () => {
    handled.length = 0;
    const body = envelope({ type: 'IntentRequest' });
    const signed = signAlexaRequest(body, signer);
    const bytes = Buffer.from(body);
    const declared = await raw(
      headOf({ 'content-type': 'application/json', 'content-length': bytes.length, ...signed }),
      bytes,
    );
    const streamed = await raw(
      headOf({ 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...signed }),
      chunked(bytes, 100),
    );
    expect([statusOf(declared), statusOf(streamed)]).toEqual([200, 200]);
    expect(handled).toEqual([bytes.length, bytes.length]);
  });

  it('refuses a chunked body over the cap while reading it', async () => {
    handled.length = 0;
    rejected.length = 0;
    const big = Buffer.from(envelope({ extra: 'x'.repeat(MAX_BODY_BYTES) }));
    const answer = await raw(
      headOf({
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
        ...signAlexaRequest(big.toString(), signer),
      }),
      chunked(big, 16 * 1024),
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('body_too_large');
    expect(rejected[0]).toMatchObject({
      reason: 'body_too_large',
      detail: expect.stringMatching(/^body exceeds/),
    });
    expect(handled).toEqual([]);
  });

  it('reads no further than a Content-Length that understates the body: the rest is not the request', async () => {
    handled.length = 0;
    rejected.length = 0;
    const body = envelope();
    const bytes = Buffer.from(body);
    const answer = await raw(
      headOf({
        'content-type': 'application/json',
        'content-length': 100,
        ...signAlexaRequest(body, signer),
      }),
      bytes,
    );
    // The first 100 bytes are cut JSON; the bytes after them are a malformed next request.
    expect(statusOf(answer)).toBe(400);
    expect(rejected.map((r) => r.reason)).toEqual(['invalid_json']);
    expect(handled).toEqual([]);
  });

  it('refuses Content-Length together with Transfer-Encoding before the app sees it', async () => {
    handled.length = 0;
    rejected.length = 0;
    const body = envelope();
    const answer = await raw(
      headOf({
        'content-type': 'application/json',
        'content-length': 10,
        'transfer-encoding': 'chunked',
        ...signAlexaRequest(body, signer),
      }),
      chunked(Buffer.from(body), 64),
    );
    expect(statusOf(answer)).toBe(400);
    expect(rejected).toEqual([]);
    expect(handled).toEqual([]);
  });
});
