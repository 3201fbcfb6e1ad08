import { apiKeys, hashToken } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function createKey(client: Client, name: string) {
  const res = await client.api['api-keys'].$post({
    json: { name, scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
  });
  expectStatus(res, 201);
  return (await res.json()).apiKey;
}

async function listKeys(client: Client) {
  const res = await client.api['api-keys'].$get();
  expectStatus(res, 200);
  return (await res.json()).apiKeys;
}

const revoke = (client: Client, id: string) => client.api['api-keys'][':id'].$delete({ param: { id } });
const me = (client: Client, headers?: Record<string, string>) =>
  client.api.auth.me.$get(undefined, headers && { headers });

describe('API keys', () => {
  it('an owner creates a key, shown once; only its hash is stored', async () => {
    const res = await ownerA.api['api-keys'].$post({
      json: { name: 'Nightly export', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
    });
    expectStatus(res, 201);
    const { apiKey } = await res.json();
    expect(apiKey.key).toMatch(/^plk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThan(16);

    const rows = await h.database.db.select().from(apiKeys);
    expect(rows.find((r) => r.id === apiKey.id)?.keyHash).toBe(hashToken(apiKey.key));
    expect(JSON.stringify(rows)).not.toContain(apiKey.key);

    const list = await listKeys(ownerA);
    const listed = list.find((k) => k.id === apiKey.id);
    expect(listed).toMatchObject({
      name: 'Nightly export',
      prefix: apiKey.prefix,
      role: 'analyst',
      revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(apiKey.key);
  });

  it('a key reads, cannot write, and stops working once revoked', async () => {
    const apiKey = await createKey(ownerA, 'BI tool');
    const bot = h.anonymous(apiKey.key);
    const whoAmI = await me(bot);
    expect(whoAmI.status).toBe(200);
    expect(await whoAmI.json()).toMatchObject({
      merchant: { id: h.merchantA },
      role: 'analyst',
      member: null,
    });

    // Writes are refused, CSRF token or not: keys read only.
    expect(
      (
        await bot.api['api-keys'].$post({
          json: { name: 'escalate', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
        })
      ).status,
    ).toBe(403);
    expect((await revoke(bot, apiKey.id)).status).toBe(403);
    // Account administration and personal data are for signed-in members.
    expect((await bot.api['api-keys'].$get()).status).toBe(403);
    expect((await bot.api.members.$get()).status).toBe(403);

    expect((await revoke(ownerA, apiKey.id)).status).toBe(204);
    expect((await me(bot)).status).toBe(401);
    // Revoking twice: the live key is gone.
    expect((await revoke(ownerA, apiKey.id)).status).toBe(404);
  });

  it('an unknown or malformed bearer is 401, and a bearer is never upgraded by a cookie', async () => {
    expect((await me(h.anonymous('plk_nope'))).status).toBe(401);
    expect((await me(h.anonymous('not-a-key'))).status).toBe(401);
    const withCookie = await me(h.anonymous('plk_nope'), { cookie: ownerA.cookie ?? '' });
    expect(withCookie.status).toBe(401);
  });

  it('analysts cannot create, list or revoke keys', async () => {
    const apiKey = await createKey(ownerA, 'keep');
    expect(
      (
        await analystA.api['api-keys'].$post({
          json: { name: 'mine', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
        })
      ).status,
    ).toBe(403);
    expect((await analystA.api['api-keys'].$get()).status).toBe(403);
    expect((await revoke(analystA, apiKey.id)).status).toBe(403);
    expect((await me(h.anonymous(apiKey.key))).status).toBe(200);
  });

  it("another merchant's owner gets 404 revoking a key, and never sees it listed", async () => {
    const apiKey = await createKey(ownerA, 'A only');
    expect((await revoke(ownerB, apiKey.id)).status).toBe(404);
    expect((await listKeys(ownerB)).map((k) => k.id)).not.toContain(apiKey.id);
    expect((await me(h.anonymous(apiKey.key))).status).toBe(200);
    // Not-a-uuid ids are simply unknown.
    expect((await revoke(ownerA, '123')).status).toBe(404);
  });

  it('creating a key needs the CSRF token and a name', async () => {
    const noToken = { headers: { 'x-csrf-token': '' } };
    expect(
      (
        await ownerA.api['api-keys'].$post(
          { json: { name: 'x', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 } },
          noToken,
        )
      ).status,
    ).toBe(403);
    const bad = await ownerA.api['api-keys'].$post({
      json: { name: '  ', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: ['name'] }] });
  });
});

describe('GET /members', () => {
  it("lists the caller's own merchant's members only", async () => {
    const res = await analystA.api.members.$get();
    expectStatus(res, 200);
    const { members } = await res.json();
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual([
      [A_ANALYST.email, 'analyst'],
      [A_OWNER.email, 'owner'],
    ]);
    const b = await (await ownerB.api.members.$get()).json();
    expect(b.members.map((m) => m.email)).not.toContain(A_OWNER.email);
    expect(JSON.stringify(members)).not.toContain('scrypt');
  });
});
