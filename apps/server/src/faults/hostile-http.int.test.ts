import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { signAlexaRequest } from '@pitchline/skill/dev-ca';
import { createEnvelopeSession } from '@pitchline/skill/nlu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawOutcome, rawRequest } from './raw-http';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  startServerProcess,
} from './server-process';
import { BROWSE, httpSender, playSession } from './shopper';

/**
 * Hostile HTTP against the real server process: each bad request is refused with a clean answer (or
 * a closed connection) within a bounded time, while shoppers on other connections keep getting
 * answers. Node checks its header and request timeouts on an interval: the bounds below include it.
 */
let stores: PreparedStores;
let server: ServerProcess;

beforeAll(async () => {
  stores = await prepareServerStores();
  server = await startServerProcess(stores.dataDir, stores.env);
}, 90_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  await stores?.dispose();
});

function signedLaunch() {
  const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken: DEMO_ACCESS_TOKEN });
  const body = JSON.stringify(session.launch());
  return { body, headers: signAlexaRequest(body, stores.signer) };
}

function head(path: string, headers: Record<string, string | number>): string {
  // Connection: close, so the time measured is the server's answer, not a keep-alive idle timeout.
  const lines = Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

function errorOf(outcome: RawOutcome): string | undefined {
  const body = outcome.response.split('\r\n\r\n').slice(1).join('\r\n\r\n');
  return /"error":"([a-z_]+)"/.exec(body)?.[1];
}

/** Shoppers served meanwhile: every session answered in full, each answer quickly. */
async function shoppersDuring<T>(
  work: Promise<T>,
): Promise<{ result: T; slowestMs: number; sessions: number }> {
  const send = httpSender(server.url, stores.signer);
  let slowestMs = 0;
  let sessions = 0;
  let running = true;
  const timed: typeof send = async (envelope) => {
    const t = Date.now();
    const res = await send(envelope);
    slowestMs = Math.max(slowestMs, Date.now() - t);
    return res;
  };
  const shopper = async () => {
    while (running) {
      const log = await playSession(timed, BROWSE);
      expect(log.failed).toEqual([]);
      sessions++;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const shoppers = [shopper(), shopper()];
  const result = await work.finally(() => {
    running = false;
  });
  await Promise.all(shoppers);
  return { result, slowestMs, sessions };
}

describe('hostile HTTP against the server process', () => {
  it('a 1 MB body is refused at once, declared or chunked, on /alexa and on the Stripe webhook', async () => {
    const { headers } = signedLaunch();
    const mb = Buffer.alloc(1024 * 1024, 'a');
    const chunked = Buffer.concat([
      Buffer.from(`${mb.length.toString(16)}\r\n`),
      mb,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const [declared, streamed, webhook] = await Promise.all([
      rawRequest(server.url, {
        head: head('/alexa', { 'content-type': 'application/json', 'content-length': mb.length, ...headers }),
        body: mb,
        giveUpMs: 15_000,
      }),
      rawRequest(server.url, {
        head: head('/alexa', {
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
          ...headers,
        }),
        body: chunked,
        giveUpMs: 15_000,
      }),
      rawRequest(server.url, {
        head: head('/webhooks/stripe', {
          'content-type': 'application/json',
          'content-length': mb.length,
          'stripe-signature': 't=1,v1=00',
        }),
        body: mb,
        giveUpMs: 15_000,
      }),
    ]);
    expect([declared.status, errorOf(declared)]).toEqual([400, 'body_too_large']);
    expect([streamed.status, errorOf(streamed)]).toEqual([400, 'body_too_large']);
    expect([webhook.status, errorOf(webhook)]).toEqual([413, 'payload_too_large']);
    for (const o of [declared, streamed, webhook]) expect(o.elapsedMs).toBeLessThan(5_000);
  });

  it('truncated JSON is refused: signed over the cut bytes, or cut short of its Content-Length', async () => {
    const { body } = signedLaunch();
    const cut = body.slice(0, Math.floor(body.length / 2));
    const res = await fetch(`${server.url}/alexa`, {
      method: 'POST',
      body: cut,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(cut, stores.signer) },
    });
    expect([res.status, await res.json()]).toEqual([400, { error: 'invalid_json' }]);

    const { headers } = signedLaunch();
    const short = await rawRequest(server.url, {
      head: head('/alexa', { 'content-type': 'application/json', 'content-length': body.length, ...headers }),
      body: Buffer.from(cut),
      endEarly: true,
      giveUpMs: 60_000,
    });
    // The client stopped sending: the server gives up on the body and frees the connection.
    expect(short.closedByServer).toBe(true);
    expect(short.elapsedMs).toBeLessThan(20_000);
    if (short.status !== null) expect(short.status).toBeGreaterThanOrEqual(400);
  });

  it('a wrong content type is refused, even on a correctly signed request', async () => {
    const statuses: [string, number, unknown][] = [];
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const { body, headers } = signedLaunch();
      const res = await fetch(`${server.url}/alexa`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, ...headers },
      });
      statuses.push([type, res.status, await res.json()]);
    }
    for (const [, status, answer] of statuses) {
      expect(status).toBe(415);
      expect(answer).toEqual({ error: 'unsupported_media_type' });
    }
  });

  it('a body sent one byte a second, or headers trickled, is cut off; shoppers are served meanwhile', async () => {
    const { body, headers } = signedLaunch();
    const slow = Promise.all([
      rawRequest(server.url, {
        head: head('/alexa', {
          'content-type': 'application/json',
          'content-length': body.length,
          ...headers,
        }),
        body: Buffer.from(body),
        byteDelayMs: 1000,
        giveUpMs: 60_000,
      }),
      rawRequest(server.url, {
        head: head('/alexa', { 'content-type': 'application/json', 'content-length': 2 }),
        headDelayMs: 1000,
        giveUpMs: 60_000,
      }),
    ]);
    const { result, slowestMs, sessions } = await shoppersDuring(slow);
    const [slowBody, slowHead] = result;
    for (const o of [slowBody, slowHead]) {
      expect(o.closedByServer).toBe(true);
      expect(o.elapsedMs).toBeLessThan(25_000);
      if (o.status !== null) expect(o.status).toBe(408);
    }
    expect(sessions).toBeGreaterThan(3);
    expect(slowestMs).toBeLessThan(5_000);
  }, 60_000);
});
