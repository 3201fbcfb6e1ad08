import { apiKeys, hashToken } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_ANALYST, A_OWNER, B_OWNER, type Client, type Harness, openHarness } from '../testing/harness';

let h: Harness;
let ownerA: Client;
let analystA: Client;
let ownerB: Client;
beforeAll(async () => {
  h = await openHarness();
  ownerA = await h.login(A_OWNER.email, A_OWNER.password);
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
}, 60_000);
afterAll(async () => h?.close());

type Created = { apiKey: { id: string; key: string; prefix: string; name: string } };

describe('API keys', () => {
  it('an owner creates a key, shown once; only its hash is stored', async () => {
    const res = await ownerA.request('POST', '/api-keys', { name: 'Nightly export' });
    expect(res.status).toBe(201);
    const { apiKey } = (await res.json()) as Created;
    expect(apiKey.key).toMatch(/^plk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThan(16);

    const rows = await h.database.db.select().from(apiKeys);
    expect(rows.find((r) => r.id === apiKey.id)?.keyHash).toBe(hashToken(apiKey.key));
    expect(JSON.stringify(rows)).not.toContain(apiKey.key);

    const list = (await (await ownerA.request('GET', '/api-keys')).json()) as {
      apiKeys: Record<string, unknown>[];
    };
    const listed = list.apiKeys.find((k) => k.id === apiKey.id);
    expect(listed).toMatchObject({
      name: 'Nightly export',
      prefix: apiKey.prefix,
      role: 'analyst',
      revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(apiKey.key);
  });

  it('a key reads, cannot write, and stops working once revoked', async () => {
    const { apiKey } = (await (
      await ownerA.request('POST', '/api-keys', { name: 'BI tool' })
    ).json()) as Created;
    const bot = h.anonymous(apiKey.key);
    const me = await bot.request('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ merchant: { id: h.merchantA }, role: 'analyst', member: null });

    // Writes are refused, CSRF token or not: keys read only.
    expect((await bot.request('POST', '/api-keys', { name: 'escalate' })).status).toBe(403);
    expect((await bot.request('DELETE', `/api-keys/${apiKey.id}`)).status).toBe(403);
    // Account administration and personal data are for signed-in members.
    expect((await bot.request('GET', '/api-keys')).status).toBe(403);
    expect((await bot.request('GET', '/members')).status).toBe(403);

    expect((await ownerA.request('DELETE', `/api-keys/${apiKey.id}`)).status).toBe(204);
    expect((await bot.request('GET', '/auth/me')).status).toBe(401);
    // Revoking twice: the live key is gone.
    expect((await ownerA.request('DELETE', `/api-keys/${apiKey.id}`)).status).toBe(404);
  });

  it('an unknown or malformed bearer is 401, and a bearer is never upgraded by a cookie', async () => {
    expect((await h.anonymous('plk_nope').request('GET', '/auth/me')).status).toBe(401);
    expect((await h.anonymous('not-a-key').request('GET', '/auth/me')).status).toBe(401);
    const withCookie = await h.anonymous('plk_nope').request('GET', '/auth/me', undefined, {
      cookie: ownerA.cookie ?? '',
    });
    expect(withCookie.status).toBe(401);
  });

  it('analysts cannot create, list or revoke keys', async () => {
    const { apiKey } = (await (
      await ownerA.request('POST', '/api-keys', { name: 'keep' })
    ).json()) as Created;
    expect((await analystA.request('POST', '/api-keys', { name: 'mine' })).status).toBe(403);
    expect((await analystA.request('GET', '/api-keys')).status).toBe(403);
    expect((await analystA.request('DELETE', `/api-keys/${apiKey.id}`)).status).toBe(403);
    expect((await h.anonymous(apiKey.key).request('GET', '/auth/me')).status).toBe(200);
  });

  it("another merchant's owner gets 404 revoking a key, and never sees it listed", async () => {
    const { apiKey } = (await (
      await ownerA.request('POST', '/api-keys', { name: 'A only' })
    ).json()) as Created;
    expect((await ownerB.request('DELETE', `/api-keys/${apiKey.id}`)).status).toBe(404);
    const listB = (await (await ownerB.request('GET', '/api-keys')).json()) as { apiKeys: { id: string }[] };
    expect(listB.apiKeys.map((k) => k.id)).not.toContain(apiKey.id);
    expect((await h.anonymous(apiKey.key).request('GET', '/auth/me')).status).toBe(200);
    // Not-a-uuid ids are simply unknown.
    expect((await ownerA.request('DELETE', '/api-keys/123')).status).toBe(404);
  });

  it('creating a key needs the CSRF token and a name', async () => {
    expect((await ownerA.request('POST', '/api-keys', { name: 'x' }, { 'x-csrf-token': '' })).status).toBe(
      403,
    );
    const bad = await ownerA.request('POST', '/api-keys', { name: '  ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: ['name'] }] });
  });
});

describe('GET /members', () => {
  it("lists the caller's own merchant's members only", async () => {
    const res = await analystA.request('GET', '/members');
    expect(res.status).toBe(200);
    const { members } = (await res.json()) as { members: { email: string; role: string }[] };
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual([
      [A_ANALYST.email, 'analyst'],
      [A_OWNER.email, 'owner'],
    ]);
    const b = (await (await ownerB.request('GET', '/members')).json()) as { members: { email: string }[] };
    expect(b.members.map((m) => m.email)).not.toContain(A_OWNER.email);
    expect(JSON.stringify(members)).not.toContain('scrypt');
  });
});
