import {
  addSkill as bindDirectly,
  DEMO_SKILL_ID,
  merchants,
  orders,
  SKILL_REFUSED,
  skills,
} from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmazonFake, startAmazonFake } from '../testing/amazon-fake';
import { connectAmazon, TEST_REDIRECT_URI } from '../testing/amazon-flow';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  malformed,
  openHarness,
} from '../testing/harness';

let h: Harness;
let amazon: AmazonFake;
let ownerA: Client;
let analystA: Client;
let ownerB: Client;
let bot: Client;

const skillId = (n: number) => `amzn1.ask.skill.5d0c2f8e-6a1b-4c3d-8e9f-${String(n).padStart(12, '0')}`;
const B_SKILL = skillId(900);
const HOSTILE_NAME = `<img src=x onerror=alert(1)> '; drop table skills; --`;

async function read(client: Client) {
  const res = await client.api.settings.$get();
  expectStatus(res, 200);
  return res.json();
}

type HeaderValues = Record<string, string>;
const addSkill = (client: Client, json: { id: string }, headers?: HeaderValues) =>
  client.api.settings.skills.$post({ json }, headers && { headers });
const removeSkill = (client: Client, id: string, headers?: HeaderValues) =>
  client.api.settings.skills[':id'].$delete({ param: { id } }, headers && { headers });
const setMode = (client: Client, mode: 'simulated' | 'stripe', headers?: HeaderValues) =>
  client.api.settings['payment-mode'].$put({ json: { mode } }, headers && { headers });

async function paymentMode(merchantId: string) {
  const [row] = await h.database.db
    .select({ mode: merchants.paymentMode })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  return row?.mode;
}

beforeAll(async () => {
  amazon = await startAmazonFake();
  // A's Amazon account lists B's skill too: holding it elsewhere must not make the answer differ.
  amazon.accounts.set('northwind', {
    vendors: [
      {
        id: 'M1NORTHWIND',
        skills: [
          { skillId: skillId(1), name: 'Northwind UK' },
          { skillId: skillId(3), name: HOSTILE_NAME },
          { skillId: B_SKILL, name: 'Claimed elsewhere' },
        ],
      },
    ],
  });
  amazon.signInAs = 'northwind';
  h = await openHarness({ amazon: amazon.config(TEST_REDIRECT_URI) });
  ownerA = await h.login(A_OWNER.email, A_OWNER.password);
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
  await bindDirectly(h.database.db, h.merchantB, { id: B_SKILL, name: 'B shop' });
  expect((await connectAmazon(ownerA, amazon)).outcome).toBe('/settings?amazon=connected');
  const key = await ownerA.api['api-keys'].$post({
    json: { name: 'reader', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
  });
  expectStatus(key, 201);
  bot = h.anonymous((await key.json()).apiKey.key);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await amazon?.close();
});

describe('settings: reading', () => {
  it("owner, analyst and API key read the merchant's skills and payment mode", async () => {
    for (const reader of [ownerA, analystA, bot]) {
      const body = await read(reader);
      expect(body.skills.map((s) => s.id)).toEqual([DEMO_SKILL_ID]);
      expect(body.skills[0]).toMatchObject({ name: 'Northwind Coffee' });
      expect(body).toMatchObject({
        paymentMode: 'simulated',
        stripeConfigured: false,
        skillCacheSeconds: 30,
      });
    }
    expect((await read(ownerB)).skills.map((s) => s.id)).toEqual([B_SKILL]);
  });

  it('without credentials: 401', async () => {
    expect((await h.anonymous().api.settings.$get()).status).toBe(401);
  });
});

describe('settings: skills', () => {
  it("an owner adds a skill its Amazon account lists; it is listed with Amazon's name and a date", async () => {
    const res = await addSkill(ownerA, { id: skillId(1) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ skill: { id: skillId(1), name: 'Northwind UK' } });
    const listed = (await read(ownerA)).skills.find((s) => s.id === skillId(1));
    expect(Number.isNaN(Date.parse(listed?.createdAt ?? ''))).toBe(false);
  });

  it('every refusal is the same 409 body: malformed, not listed, bound elsewhere, bound here, not connected', async () => {
    const refusals = [
      await addSkill(ownerA, { id: 'amzn1.ask.skill.nope' }),
      await addSkill(ownerA, { id: `${skillId(1)}/../x` }),
      // Not bodies the typed client would write: no id, a tenant the schema does not take.
      await addSkill(ownerA, malformed<{ id: string }>({})),
      await addSkill(ownerA, malformed<{ id: string }>({ id: skillId(2), merchantId: h.merchantB })),
      // Well formed, but not in A's Amazon account.
      await addSkill(ownerA, { id: skillId(2) }),
      // In A's Amazon account, but bound to merchant B.
      await addSkill(ownerA, { id: B_SKILL }),
      // Bound to A already.
      await addSkill(ownerA, { id: skillId(1) }),
      // B has no Amazon account connected.
      await addSkill(ownerB, { id: skillId(4) }),
    ];
    const answers = await Promise.all(
      refusals.map(async (r) => ({ status: r.status, body: await r.text() })),
    );
    const expected = { status: 409, body: JSON.stringify({ error: 'skill_refused', reason: SKILL_REFUSED }) };
    for (const answer of answers) expect(answer).toEqual(expected);
    expect(SKILL_REFUSED).not.toMatch(/another|other merchant|someone/i);
    expect(
      await h.database.db
        .select()
        .from(skills)
        .where(eq(skills.id, skillId(2))),
    ).toEqual([]);
    expect((await read(ownerB)).skills).toMatchObject([{ id: B_SKILL, name: 'B shop' }]);
    expect((await read(ownerA)).skills.map((s) => s.id)).not.toContain(B_SKILL);
  });

  it("hostile names from Amazon's listing are stored and returned as plain text", async () => {
    expect((await addSkill(ownerA, { id: skillId(3) })).status).toBe(201);
    expect((await read(ownerA)).skills.find((s) => s.id === skillId(3))?.name).toBe(HOSTILE_NAME);
  });

  it('an owner removes a skill; unknown and malformed ids are 404', async () => {
    expect((await removeSkill(ownerA, skillId(3))).status).toBe(204);
    expect((await read(ownerA)).skills.map((s) => s.id)).not.toContain(skillId(3));
    expect((await removeSkill(ownerA, skillId(3))).status).toBe(404);
    expect((await removeSkill(ownerA, 'not-a-skill')).status).toBe(404);
    expect((await removeSkill(ownerA, encodeURIComponent("' or 1=1 --"))).status).toBe(404);
  });

  it('a skill orders were placed through cannot be removed (409), and stays', async () => {
    await h.database.db.insert(orders).values({
      merchantId: h.merchantA,
      skillId: skillId(1),
      userId: 'u',
      sessionId: 's',
      amountTotal: 500,
      currency: 'USD',
    });
    const res = await removeSkill(ownerA, skillId(1));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'conflict', reason: expect.stringMatching(/orders/) });
    expect((await read(ownerA)).skills.map((s) => s.id)).toContain(skillId(1));
  });

  it("the merchant's last skill can be removed", async () => {
    expect((await removeSkill(ownerB, B_SKILL)).status).toBe(204);
    expect((await read(ownerB)).skills).toEqual([]);
    await bindDirectly(h.database.db, h.merchantB, { id: B_SKILL, name: 'B shop' });
  });
});

describe('settings: payment mode', () => {
  it('switching to stripe on a server without Stripe keys is refused (409) and changes nothing', async () => {
    const res = await setMode(ownerA, 'stripe');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'conflict',
      reason: expect.stringMatching(/Stripe keys/),
    });
    expect(await paymentMode(h.merchantA)).toBe('simulated');
  });

  it('on a server with Stripe, an owner switches to stripe and back; only their merchant changes', async () => {
    const stripeServer = h.withDeps({ stripeConfigured: true });
    const owner = await stripeServer.login(A_OWNER.email, A_OWNER.password);
    const res = await setMode(owner, 'stripe');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ paymentMode: 'stripe' });
    expect(await read(owner)).toMatchObject({ paymentMode: 'stripe', stripeConfigured: true });
    expect(await paymentMode(h.merchantB)).toBe('simulated');
    expect((await setMode(owner, 'simulated')).status).toBe(200);
    expect(await paymentMode(h.merchantA)).toBe('simulated');
  });

  it('an unknown mode is 400', async () => {
    // Not bodies the typed client would write: an unknown mode, none, a tenant the schema refuses.
    for (const body of [{ mode: 'paypal' }, {}, { mode: 'simulated', merchantId: h.merchantB }]) {
      const res = await ownerA.api.settings['payment-mode'].$put({ json: malformed(body) });
      expect(res.status).toBe(400);
    }
  });
});

describe('settings: who may write', () => {
  it('an analyst and an API key get 403 on every write, and nothing changes', async () => {
    const stripeServer = h.withDeps({ stripeConfigured: true });
    const analyst = await stripeServer.login(A_ANALYST.email, A_ANALYST.password);
    const before = await read(ownerA);
    for (const reader of [analystA, analyst, bot]) {
      const statuses = await Promise.all([
        addSkill(reader, { id: skillId(50) }),
        removeSkill(reader, DEMO_SKILL_ID),
        setMode(reader, 'stripe'),
      ]).then((all) => all.map((r) => r.status));
      expect(statuses).toEqual([403, 403, 403]);
    }
    expect(await read(ownerA)).toEqual(before);
  });

  it('a write without the CSRF token, or from another origin, is refused (403) and changes nothing', async () => {
    const noToken = { 'x-csrf-token': '' };
    expect((await addSkill(ownerA, { id: skillId(60) }, noToken)).status).toBe(403);
    expect((await removeSkill(ownerA, DEMO_SKILL_ID, noToken)).status).toBe(403);
    const stripeServer = h.withDeps({ stripeConfigured: true });
    const owner = await stripeServer.login(A_OWNER.email, A_OWNER.password);
    expect((await setMode(owner, 'stripe', noToken)).status).toBe(403);
    expect((await setMode(owner, 'stripe', { origin: 'https://evil.example' })).status).toBe(403);
    expect(await read(ownerA)).toMatchObject({ paymentMode: 'simulated' });
    expect((await read(ownerA)).skills.map((s) => s.id)).toContain(DEMO_SKILL_ID);
    expect((await read(ownerA)).skills.map((s) => s.id)).not.toContain(skillId(60));
  });
});
