import {
  amazonConnections,
  amazonOauthStates,
  hashToken,
  removeAmazonConnection,
  SKILL_REFUSED,
} from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenSealer } from '../amazon/sealing';
import { type AmazonFake, startAmazonFake } from '../testing/amazon-fake';
import { connectAmazon, TEST_REDIRECT_URI } from '../testing/amazon-flow';
import { A_ANALYST, A_OWNER, B_OWNER, type Client, type Harness, openHarness } from '../testing/harness';

/*
 * "Connect Amazon" end to end: our routes, real HTTP to a local fake of Login with Amazon and SMAPI that
 * checks what we send, real PGlite and real AES-GCM. Each case says what a mistake would let through.
 */

let h: Harness;
let amazon: AmazonFake;
let owner: Client;
const TOKEN_KEY = 'the-test-token-key-with-more-than-32-chars';
const skillId = (n: number) => `amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-${String(n).padStart(12, '0')}`;

const connection = async () =>
  (
    await h.database.db.select().from(amazonConnections).where(eq(amazonConnections.merchantId, h.merchantA))
  )[0];
const tokenGrants = (grant: string) => amazon.requests.filter((r) => r.form?.grant_type === grant);
async function listed(client: Client) {
  const res = await client.request('GET', '/amazon/skills');
  return { status: res.status, body: (await res.json()) as { skills?: { id: string; bound: boolean }[] } };
}

beforeAll(async () => {
  amazon = await startAmazonFake();
  amazon.accounts.set('northwind', {
    vendors: [
      {
        id: 'M1FIRST',
        skills: [1, 2, 3, 4, 5].map((n) => ({ skillId: skillId(n), name: `Skill ${n}` })),
      },
      { id: 'M2SECOND', skills: [{ skillId: skillId(6), name: 'Second vendor skill' }] },
    ],
  });
  amazon.signInAs = 'northwind';
  h = await openHarness({ amazon: amazon.config(TEST_REDIRECT_URI, TOKEN_KEY) });
  owner = await h.login(A_OWNER.email, A_OWNER.password);
}, 60_000);
afterEach(async () => {
  amazon.tokenFailure = undefined;
  amazon.pageSize = 50;
  await removeAmazonConnection(h.database.db, h.merchantA);
});
afterAll(async () => {
  await h?.close();
  await amazon?.close();
});

describe('connect Amazon: the OAuth round trip', () => {
  it('redirects with our client, scope and a hashed single-use state; exchanges the code with our secret; seals the tokens', async () => {
    const start = await owner.request('GET', '/amazon/connect');
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${amazon.url}/ap/oa`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: amazon.clientId,
      scope: 'alexa::ask:skills:readonly',
      response_type: 'code',
      redirect_uri: TEST_REDIRECT_URI,
    });
    const state = to.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(43);
    const [stored] = await h.database.db
      .select()
      .from(amazonOauthStates)
      .where(eq(amazonOauthStates.stateHash, hashToken(state)));
    expect(stored?.expiresAt.getTime()).toBe(h.clock.now.getTime() + 10 * 60_000);

    const consent = await fetch(to, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    const done = await owner.request('GET', `${back.pathname}${back.search}`);
    expect(done.headers.get('location')).toBe('/settings?amazon=connected');

    const [exchange] = tokenGrants('authorization_code');
    expect(exchange?.form).toEqual({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: TEST_REDIRECT_URI,
      client_id: amazon.clientId,
      client_secret: amazon.clientSecret,
    });
    const row = await connection();
    expect(row).toBeDefined();
    const sealer = tokenSealer(TOKEN_KEY);
    const refreshToken = sealer.open(row?.refreshTokenSealed ?? '', h.merchantA);
    expect(refreshToken).toMatch(/^Atzr\|/);
    expect(row?.refreshTokenSealed).not.toContain(refreshToken);
    expect(row?.accessTokenSealed).not.toMatch(/Atza/);
    // Sealed for merchant A: it does not open as another merchant's.
    expect(() => sealer.open(row?.refreshTokenSealed ?? '', h.merchantB)).toThrow();
    expect((await (await owner.request('GET', '/amazon')).json()) as unknown).toEqual({
      configured: true,
      connected: true,
    });
  });

  it('refuses a replayed callback, a made-up state, an expired one and one from another session; stores nothing', async () => {
    const first = await connectAmazon(owner, amazon);
    expect(first.outcome).toBe('/settings?amazon=connected');
    await removeAmazonConnection(h.database.db, h.merchantA);
    const exchangesBefore = tokenGrants('authorization_code').length;

    const replay = await owner.request('GET', first.callbackPath);
    expect(replay.headers.get('location')).toBe('/settings?amazon=state_invalid');
    const madeUp = await owner.request('GET', '/amazon/callback?code=x&state=not-a-state-we-made');
    expect(madeUp.headers.get('location')).toBe('/settings?amazon=state_invalid');
    const noState = await owner.request('GET', '/amazon/callback?code=x');
    expect(noState.headers.get('location')).toBe('/settings?amazon=state_invalid');

    // Started in another session of the same owner (another browser): not this session's state.
    const other = await h.login(A_OWNER.email, A_OWNER.password);
    const start = await other.request('GET', '/amazon/connect');
    const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    const crossed = await owner.request('GET', `${back.pathname}${back.search}`);
    expect(crossed.headers.get('location')).toBe('/settings?amazon=state_invalid');

    // Expired: eleven minutes between leaving and coming back.
    const late = await owner.request('GET', '/amazon/connect');
    const lateConsent = await fetch(late.headers.get('location') ?? '', { redirect: 'manual' });
    const lateBack = new URL(lateConsent.headers.get('location') ?? '');
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    const expired = await owner.request('GET', `${lateBack.pathname}${lateBack.search}`);
    expect(expired.headers.get('location')).toBe('/settings?amazon=state_invalid');

    expect(tokenGrants('authorization_code').length).toBe(exchangesBefore);
    expect(await connection()).toBeUndefined();
  });

  it('a token endpoint error or a refused consent connects nothing', async () => {
    amazon.tokenFailure = { status: 400, error: 'invalid_grant' };
    expect((await connectAmazon(owner, amazon)).outcome).toBe('/settings?amazon=token_failed');
    expect(await connection()).toBeUndefined();
    amazon.tokenFailure = undefined;

    const start = await owner.request('GET', '/amazon/connect');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const denied = await owner.request('GET', `/amazon/callback?error=access_denied&state=${state}`);
    expect(denied.headers.get('location')).toBe('/settings?amazon=denied');
    expect(await connection()).toBeUndefined();
  });

  it('the fake refuses a wrong client secret, and so nothing connects (our secret is what proves us)', async () => {
    const wrong = h.withDeps({
      amazon: { ...amazon.config(TEST_REDIRECT_URI, TOKEN_KEY), clientSecret: 'nope' },
    });
    const client = await wrong.login(A_OWNER.email, A_OWNER.password);
    expect((await connectAmazon(client, amazon)).outcome).toBe('/settings?amazon=token_failed');
    expect(await connection()).toBeUndefined();
  });

  it('analysts cannot start or finish a connection', async () => {
    const analyst = await h.login(A_ANALYST.email, A_ANALYST.password);
    expect((await analyst.request('GET', '/amazon/connect')).status).toBe(403);
    expect((await analyst.request('GET', '/amazon/callback?code=x&state=y')).status).toBe(403);
  });
});

describe("the connected account's skills", () => {
  it('lists every vendor across pages, each skill once, and binds only a listed one', async () => {
    await connectAmazon(owner, amazon);
    amazon.pageSize = 2;
    const before = amazon.requests.length;
    const { status, body } = await listed(owner);
    expect(status).toBe(200);
    expect(body.skills?.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6].map(skillId));
    const pages = amazon.requests.slice(before).filter((r) => r.path.startsWith('/v1/skills'));
    expect(pages.map((r) => new URL(r.path, 'http://x').searchParams.get('nextToken'))).toEqual([
      null,
      '2',
      '4',
      null,
    ]);
    // The last page's skill binds (pagination was followed, not just the first page).
    const bound = await owner.request('POST', '/settings/skills', { id: skillId(5) });
    expect(bound.status).toBe(201);
    expect((await listed(owner)).body.skills?.find((s) => s.id === skillId(5))?.bound).toBe(true);
    const other = await owner.request('POST', '/settings/skills', { id: skillId(99) });
    expect(other.status).toBe(409);
    expect(await other.json()).toEqual({ error: 'skill_refused', reason: SKILL_REFUSED });
  });

  it('refreshes an expired access token before calling SMAPI', async () => {
    await connectAmazon(owner, amazon);
    const sealedBefore = (await connection())?.accessTokenSealed;
    expect((await listed(owner)).status).toBe(200);
    expect(tokenGrants('refresh_token')).toHaveLength(0);
    h.clock.now = new Date(h.clock.now.getTime() + 2 * 3_600_000);
    expect((await listed(owner)).status).toBe(200);
    const refreshes = tokenGrants('refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.form).toMatchObject({
      client_id: amazon.clientId,
      client_secret: amazon.clientSecret,
    });
    expect((await connection())?.accessTokenSealed).not.toBe(sealedBefore);
    amazon.requests.length = 0;
  });

  it('a 401 from SMAPI refreshes once and retries once; a refresh Amazon refuses is a 502, not a loop', async () => {
    await connectAmazon(owner, amazon);
    amazon.requests.length = 0;
    amazon.revokeAccessTokens();
    expect((await listed(owner)).status).toBe(200);
    expect(tokenGrants('refresh_token')).toHaveLength(1);
    expect(
      amazon.requests.filter((r) => r.path === '/v1/vendors').map((r) => r.bearer !== undefined),
    ).toEqual([true, true]);

    amazon.requests.length = 0;
    amazon.revokeAccessTokens();
    amazon.tokenFailure = { status: 400, error: 'invalid_grant' };
    const res = await listed(owner);
    expect(res.status).toBe(502);
    expect(tokenGrants('refresh_token')).toHaveLength(1);
    expect(amazon.requests.filter((r) => r.path === '/v1/vendors')).toHaveLength(1);
    const bind = await owner.request('POST', '/settings/skills', { id: skillId(1) });
    expect(bind.status).toBe(502);
  });

  it('without a connection the list says so (409) and binding is the generic refusal', async () => {
    const b = await h.login(B_OWNER.email, B_OWNER.password);
    expect((await listed(b)).status).toBe(409);
    const bind = await b.request('POST', '/settings/skills', { id: skillId(1) });
    expect(await bind.json()).toEqual({ error: 'skill_refused', reason: SKILL_REFUSED });
  });
});

describe('a server without Login with Amazon', () => {
  it('says so and how to configure it, and binds nothing through the API', async () => {
    const bare = h.withDeps({ amazon: undefined });
    const client = await bare.login(A_OWNER.email, A_OWNER.password);
    const status = await client.request('GET', '/amazon');
    expect(await status.json()).toEqual({
      configured: false,
      howToConfigure: expect.stringMatching(/LWA_CLIENT_ID.*LWA_CLIENT_SECRET.*bind-skill/s),
    });
    const connect = await client.request('GET', '/amazon/connect');
    expect(connect.status).toBe(409);
    const bind = await client.request('POST', '/settings/skills', { id: skillId(1) });
    expect(await bind.json()).toEqual({ error: 'skill_refused', reason: SKILL_REFUSED });
  });
});
