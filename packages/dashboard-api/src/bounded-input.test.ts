import { loginAttempts } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT_BYTES, LOGIN_BODY_LIMIT_BYTES } from './app';
import { A_OWNER, type Client, type Harness, ORIGIN, openHarness } from './testing/harness';

/*
 * Every body is bounded before it is read whole: the unauthenticated login small, every other route
 * big enough for the largest experiment definition. The answer is the project's JSON error, and a
 * refused body changes nothing.
 */

let h: Harness;
let owner: Client;
beforeAll(async () => {
  h = await openHarness();
  owner = await h.login(A_OWNER.email, A_OWNER.password);
}, 60_000);
afterAll(async () => h?.close());

/** A body of `bytes` bytes sent as a stream, so no Content-Length says its size in advance. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(4096));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

const post = (
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) =>
  h.app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers },
    body,
    // Node's fetch needs this for a stream body.
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

describe('request body limits', () => {
  it('the login refuses a body over its small limit with 413 and records no attempt', async () => {
    const before = await h.database.db.select().from(loginAttempts);
    const big = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(LOGIN_BODY_LIMIT_BYTES) });
    const declared = await post('/auth/login', big, { 'content-length': String(big.length) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'payload_too_large', limitBytes: LOGIN_BODY_LIMIT_BYTES });

    // Without a Content-Length the body is counted as it arrives and dropped at the limit.
    const undeclared = await post('/auth/login', streamed(50 * 1024 * 1024));
    expect(undeclared.status).toBe(413);
    expect(await h.database.db.select().from(loginAttempts)).toEqual(before);
  });

  it('every other route refuses a body over the API limit, authenticated or not', async () => {
    for (const path of ['/experiments', '/analytics/funnel', '/settings/skills', '/api-keys']) {
      const anonymous = await post(path, streamed(API_BODY_LIMIT_BYTES + 4096));
      expect(anonymous.status, path).toBe(413);
      const signedIn = await post(path, streamed(API_BODY_LIMIT_BYTES + 4096), {
        cookie: owner.cookie ?? '',
        'x-csrf-token': owner.csrf ?? '',
      });
      expect(signedIn.status, path).toBe(413);
      expect(await signedIn.json()).toEqual({ error: 'payload_too_large', limitBytes: API_BODY_LIMIT_BYTES });
    }
  });

  it('a body under the limit still reaches its route', async () => {
    const res = await post(
      '/auth/login',
      JSON.stringify({ email: A_OWNER.email, password: A_OWNER.password }),
    );
    expect(res.status).toBe(200);
  });
});

describe('malformed JSON', () => {
  it('is a 400 naming the problem on every route that reads JSON, not a 500', async () => {
    for (const path of [
      '/auth/login',
      '/experiments',
      '/analytics/funnel',
      '/settings/skills',
      '/api-keys',
      '/skill-package',
    ]) {
      const res = await post(path, '{"email":', {
        cookie: owner.cookie ?? '',
        'x-csrf-token': owner.csrf ?? '',
      });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: 'invalid_request' });
    }
  });
});
