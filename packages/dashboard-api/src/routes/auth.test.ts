import { hashToken, loginAttempts, memberSessions } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  openHarness,
} from '../testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
}, 60_000);
afterAll(async () => h?.close());
beforeEach(async () => {
  // Each test starts with clean limiter counts and a known clock.
  await h.database.db.delete(loginAttempts);
  h.clock.now = new Date('2026-11-02T09:00:00Z');
});

type Credentials = { email: string; password: string };
const loginAs = (client: Client, json: Credentials, headers?: Record<string, string>) =>
  client.api.auth.login.$post({ json }, headers && { headers });
const login = (json: Credentials, headers?: Record<string, string>) => loginAs(h.anonymous(), json, headers);
const me = (client: Client, headers?: Record<string, string>) =>
  client.api.auth.me.$get(undefined, headers && { headers });

describe('POST /auth/login', () => {
  it('signs in with e-mail and password and sets a hardened session cookie', async () => {
    const res = await login({ email: ' Demo@Pitchline.dev ', password: A_OWNER.password });
    expectStatus(res, 200);
    const body = await res.json();
    expect(body).toMatchObject({
      member: { email: A_OWNER.email },
      merchant: { id: h.merchantA, name: 'Northwind Coffee Roasters' },
      role: 'owner',
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pitchline_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(cookie).not.toContain('Secure');

    // Only hashes are stored: neither the cookie token nor the CSRF token appears in the row.
    const token = cookie.slice('pitchline_session='.length, cookie.indexOf(';'));
    const rows = await h.database.db.select().from(memberSessions);
    const row = rows.find((r) => r.tokenHash === hashToken(token));
    expect(row?.csrfTokenHash).toBe(hashToken(body.csrfToken ?? ''));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const direct = await h.app.request('https://dashboard.test/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(A_ANALYST),
    });
    expect(direct.headers.get('set-cookie')).toContain('Secure');
    const proxied = await login(A_ANALYST, { 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toContain('Secure');
  });

  it('answers a wrong password and an unknown address alike', async () => {
    const wrong = await login({ email: A_OWNER.email, password: 'not-it' });
    const unknown = await login({ email: 'nobody@pitchline.dev', password: 'not-it' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('spends scrypt time on unknown addresses too', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await login({ email, password: 'not-it' });
      return performance.now() - started;
    };
    await time('warm-up@pitchline.dev');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(A_ANALYST.email));
      unknown.push(await time(`nobody${i}@pitchline.dev`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1] ?? 0;
    // Without the dummy verification an unknown address answers in ~1 ms against ~50+ ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('rejects malformed input with the zod issues', async () => {
    const res = await login({ email: 'not-an-address', password: '' });
    expectStatus(res, 400);
    const body = await res.json();
    expect(body.error).toBe('invalid_request');
    expect(body.issues.map((i) => i.path[0]).sort()).toEqual(['email', 'password']);
  });

  it('refuses a login posted from another origin', async () => {
    const res = await login(A_OWNER, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('limits failures per address: the 6th try inside 15 minutes gets 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
      expect((await login({ email: A_OWNER.email, password: `guess-${i}` })).status).toBe(401);
    }
    // Even the right password is refused while limited: the limiter answers before checking it.
    const limited = await login(A_OWNER);
    expect(limited.status).toBe(429);
    // The first failure (at 09:01) leaves the window at 09:16; it is now 09:05.
    expect(limited.headers.get('retry-after')).toBe(String(11 * 60));
    expect(await limited.json()).toMatchObject({ error: 'too_many_attempts', retryAfter: 660 });
    // Other addresses are unaffected.
    expect((await login(A_ANALYST)).status).toBe(200);

    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    expect((await login(A_OWNER)).status).toBe(200);
  });

  // Tighter limits than the defaults below keep these tests to a few scrypt runs each.
  it('limits failures per client IP across addresses', async () => {
    const strict = h.withDeps({ loginLimits: { perIp: 4 } });
    const ip = { 'x-test-ip': '203.0.113.7' };
    for (let i = 0; i < 4; i++) {
      const res = await loginAs(strict.anonymous(), { email: `spray${i}@x.test`, password: 'x' }, ip);
      expect(res.status).toBe(401);
    }
    expect((await loginAs(strict.anonymous(), B_OWNER, ip)).status).toBe(429);
    const elsewhere = { 'x-test-ip': '203.0.113.8' };
    expect((await loginAs(strict.anonymous(), B_OWNER, elsewhere)).status).toBe(200);
  });

  it('forgives an address its failures once its owner signs in, but not the IP', async () => {
    const strict = h.withDeps({ loginLimits: { perEmail: 2, perIp: 3 } });
    const ip = { 'x-test-ip': '198.51.100.1' };
    const attempt = (password: string) => loginAs(strict.anonymous(), { email: A_OWNER.email, password }, ip);
    expect((await attempt('typo')).status).toBe(401);
    expect((await attempt(A_OWNER.password)).status).toBe(200);
    expect((await attempt('typo')).status).toBe(401);
    // Without forgiveness this address would now have 2 failures in the window: limited.
    expect((await attempt(A_OWNER.password)).status).toBe(200);
    // The IP's 2 failures still count: one more and it is limited, whatever the address.
    expect((await attempt('typo')).status).toBe(401);
    expect((await attempt(A_OWNER.password)).status).toBe(429);
  });
});

describe('sessions', () => {
  it('GET /auth/me answers who is signed in, and 401 without a session', async () => {
    expect((await me(h.anonymous())).status).toBe(401);
    const forged = await me(h.anonymous(), {
      cookie: 'pitchline_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(forged.status).toBe(401);
    const analyst = await h.login(A_ANALYST.email, A_ANALYST.password);
    expect(await (await me(analyst)).json()).toMatchObject({
      member: { email: A_ANALYST.email },
      merchant: { id: h.merchantA },
      role: 'analyst',
      csrfToken: analyst.csrf,
    });
  });

  it('logout needs the CSRF token, then deletes the session and clears the cookie', async () => {
    const owner = await h.login(B_OWNER.email, B_OWNER.password);
    const logout = (headers?: Record<string, string>) =>
      owner.api.auth.logout.$post(undefined, headers && { headers });
    const noToken = await logout({ 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    const badToken = await logout({ 'x-csrf-token': 'x'.repeat(43) });
    expect(badToken.status).toBe(403);
    expect((await me(owner)).status).toBe(200);

    const before = await h.database.db.select().from(memberSessions);
    const out = await logout();
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^pitchline_session=;.*Max-Age=0/);
    expect(await h.database.db.select().from(memberSessions)).toHaveLength(before.length - 1);
    expect((await me(owner)).status).toBe(401);
  });

  it('slides the expiry while used, expires after a week idle, and ends 30 days after login', async () => {
    const client = await h.login(A_ANALYST.email, A_ANALYST.password);
    const token = client.cookie?.split('=')[1] ?? '';
    const expiry = async () =>
      (
        await h.database.db
          .select({ at: memberSessions.expiresAt })
          .from(memberSessions)
          .where(eq(memberSessions.tokenHash, hashToken(token)))
      )[0]?.at.toISOString();
    const loginAt = h.clock.now.getTime();
    const day = 24 * 3_600_000;

    // Within the renewal interval nothing is written.
    h.clock.now = new Date(loginAt + 10 * 60_000);
    const quiet = await me(client);
    expect(quiet.headers.get('set-cookie')).toBeNull();
    expect(await expiry()).toBe(new Date(loginAt + 7 * day).toISOString());

    // Used every 6 days: each use moves the expiry to a week later and re-sends the cookie.
    for (let d = 6; d <= 24; d += 6) {
      h.clock.now = new Date(loginAt + d * day);
      const res = await me(client);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toContain(`Max-Age=${Math.min(7, 30 - d) * 24 * 3600}`);
      expect(await expiry()).toBe(new Date(loginAt + Math.min(d + 7, 30) * day).toISOString());
    }
    // However it is used, the session ends 30 days after login.
    h.clock.now = new Date(loginAt + 30 * day);
    expect((await me(client)).status).toBe(401);
    expect(await expiry()).toBeUndefined();

    // A week without use ends a session.
    const idle = await h.login(A_ANALYST.email, A_ANALYST.password);
    h.clock.now = new Date(h.clock.now.getTime() + 7 * day);
    expect((await me(idle)).status).toBe(401);
  });

  it('a login sweeps every expired session row, not only its own', async () => {
    const forgotten = await h.login(B_OWNER.email, B_OWNER.password);
    const hash = hashToken(forgotten.cookie?.split('=')[1] ?? '');
    const rowOf = async () =>
      h.database.db.select().from(memberSessions).where(eq(memberSessions.tokenHash, hash));
    expect(await rowOf()).toHaveLength(1);
    h.clock.now = new Date(h.clock.now.getTime() + 8 * 24 * 3_600_000);
    await h.login(A_ANALYST.email, A_ANALYST.password);
    expect(await rowOf()).toHaveLength(0);
  });
});

it('reports store readiness without authentication', async () => {
  const res = await h.anonymous().api.status.$get();
  expect(await res.json()).toEqual({ ready: true });
});
