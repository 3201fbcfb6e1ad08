import { toEventRow } from '@pitchline/analytics';
import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId } from '@pitchline/core';
import { addSkill } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDefinition } from './testing/fixtures';
import {
  A_ANALYST,
  A_OWNER,
  B_ANALYST,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  openHarness,
} from './testing/harness';

/*
 * Every route that takes an id is called by merchant A's members with merchant B's ids and must
 * answer 404, whatever the route does. The table below is checked against the app's own route list,
 * so a new id-taking route fails this test until it is added here (and so until it is checked).
 */

let h: Harness;
let ownerA: Client;
let analystA: Client;
let ownerB: Client;
let bot: Client;
const ids = {
  experiment: '',
  apiKey: '',
  member: '',
  session: 'b-session-1',
  alertRule: '',
  skill: 'amzn1.ask.skill.0b0b0b0b-0000-4000-8000-00000000000b',
};
let ch: TestClickHouse;

beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  // A session of merchant B in analytics, so its transcript exists for B and must not for A.
  await ch.client.insert({
    table: `${ch.database}.events`,
    format: 'JSONEachRow',
    values: [
      toEventRow({
        event_id: newEventId(),
        ts: Date.now(),
        merchant_id: h.merchantB,
        skill_id: 'skill-b',
        user_id: 'b-user',
        session_id: ids.session,
        type: 'session_start',
        locale: 'en-US',
        has_screen: false,
        new_user: true,
      }),
    ],
  });
  ownerA = await h.login(A_OWNER.email, A_OWNER.password);
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
  const created = await ownerB.api.experiments.$post({ json: experimentDefinition('b-secret') });
  expectStatus(created, 201);
  ids.experiment = (await created.json()).experiment.id;
  // Running, so that stop (and a missing tenant check) would otherwise succeed.
  expect((await ownerB.api.experiments[':id'].start.$post({ param: { id: ids.experiment } })).status).toBe(
    200,
  );
  // Bound directly (the operator's way): binding through the API needs a connected Amazon account.
  await addSkill(h.database.db, h.merchantB, { id: ids.skill, name: 'B skill' });
  const key = await ownerB.api['api-keys'].$post({
    json: { name: 'B reader', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
  });
  expectStatus(key, 201);
  ids.apiKey = (await key.json()).apiKey.id;
  const keyA = await ownerA.api['api-keys'].$post({
    json: { name: 'A reader', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
  });
  expectStatus(keyA, 201);
  bot = h.anonymous((await keyA.json()).apiKey.key);
  // A public IP literal: valid under the default (production) webhook policy without DNS.
  const rule = await ownerB.api.alerts.rules.$post({
    json: {
      name: 'B alert',
      metric: 'fallback_rate',
      condition: 'above',
      threshold: 0.05,
      windowMinutes: 60,
      webhookUrl: 'https://93.184.215.14/b-hook',
    },
  });
  expectStatus(rule, 201);
  ids.alertRule = (await rule.json()).rule.id;
  const team = await ownerB.api.members.$get();
  expectStatus(team, 200);
  ids.member = (await team.json()).members.find((m) => m.email === B_ANALYST.email)?.id ?? '';
}, 60_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

type Call = { read: boolean; body?: (id: string) => unknown; id: () => string };
const experimentId = () => ids.experiment;
const ROUTES: Record<string, Call> = {
  'GET /experiments/:id': { read: true, id: experimentId },
  'PATCH /experiments/:id': { read: false, id: experimentId, body: () => ({ name: 'taken over' }) },
  'POST /experiments/:id/start': { read: false, id: experimentId },
  'POST /experiments/:id/stop': { read: false, id: experimentId },
  'POST /experiments/:id/conclude': {
    read: false,
    id: experimentId,
    body: () => ({ shippedVariantKey: 'origin' }),
  },
  'GET /experiments/:id/history': { read: true, id: experimentId },
  'GET /experiments/:id/results': { read: true, id: experimentId },
  'DELETE /api-keys/:id': { read: false, id: () => ids.apiKey },
  'GET /analytics/sessions/:id/transcript': { read: true, id: () => ids.session },
  'DELETE /settings/skills/:id': { read: false, id: () => ids.skill },
  'PATCH /members/:id': { read: false, id: () => ids.member, body: () => ({ role: 'owner' }) },
  'DELETE /members/:id': { read: false, id: () => ids.member },
  'POST /members/:id/password-reset': { read: false, id: () => ids.member },
  'PATCH /alerts/rules/:id': { read: false, id: () => ids.alertRule, body: () => ({ name: 'taken over' }) },
  'DELETE /alerts/rules/:id': { read: false, id: () => ids.alertRule },
  'POST /alerts/rules/:id/test': { read: false, id: () => ids.alertRule },
};

describe('tenant isolation', () => {
  it('the table covers every route that takes an id', () => {
    const idRoutes = h.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.includes('/:'))
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(idRoutes)].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('the owner of a session reads its transcript (so the 404 above is the tenant check, not a miss)', async () => {
    const res = await ownerB.api.analytics.sessions[':id'].transcript.$get({ param: { id: ids.session } });
    expect(res.status).toBe(200);
  });

  // Raw requests: the table is written per route pattern, for every route alike.
  it.each(Object.entries(ROUTES))("%s with another merchant's id answers 404", async (route, call) => {
    const [method = '', pattern = ''] = route.split(' ');
    const path = pattern.replace(':id', call.id());
    const res = await ownerA.request(method, path, call.body?.(call.id()));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
    if (call.read) {
      // Readers get the same answer: nothing tells them the id exists elsewhere.
      expect((await analystA.request(method, path)).status).toBe(404);
      if (pattern.startsWith('/experiments') || pattern.startsWith('/analytics')) {
        expect((await bot.request(method, path)).status).toBe(404);
      }
    }
  });

  it("lists never show another merchant's experiments, and B's experiment is untouched", async () => {
    const list = await (await ownerA.api.experiments.$get()).json();
    expect(list.experiments.map((e) => e.id)).not.toContain(ids.experiment);
    const param = { id: ids.experiment };
    const b = await ownerB.api.experiments[':id'].$get({ param });
    expectStatus(b, 200);
    expect((await b.json()).experiment).toMatchObject({ name: 'Launch pitch', status: 'running' });
    const history = await ownerB.api.experiments[':id'].history.$get({ param });
    expectStatus(history, 200);
    expect((await history.json()).history.map((e) => e.action)).toEqual(['create', 'start']);
    const keys = await ownerB.api['api-keys'].$get();
    expectStatus(keys, 200);
    expect((await keys.json()).apiKeys[0]?.revokedAt).toBeNull();
  });

  it("B's alert rule stays B's: not in A's list or deliveries, unchanged for B", async () => {
    const listA = await ownerA.api.alerts.rules.$get();
    expectStatus(listA, 200);
    expect((await listA.json()).rules.map((r) => r.id)).not.toContain(ids.alertRule);
    const deliveriesA = await analystA.api.alerts.deliveries.$get({ query: { ruleId: ids.alertRule } });
    expectStatus(deliveriesA, 200);
    expect((await deliveriesA.json()).deliveries).toEqual([]);
    const listB = await ownerB.api.alerts.rules.$get();
    expectStatus(listB, 200);
    expect((await listB.json()).rules).toMatchObject([{ id: ids.alertRule, name: 'B alert' }]);
  });

  it("B's skill stays B's: not in A's settings, still listed for B, and A cannot claim it", async () => {
    const settings = async (client: Client) => {
      const res = await client.api.settings.$get();
      expectStatus(res, 200);
      return res.json();
    };
    expect((await settings(ownerA)).skills.map((s) => s.id)).not.toContain(ids.skill);
    const claim = await ownerA.api.settings.skills.$post({ json: { id: ids.skill } });
    expect(claim.status).toBe(409);
    expect((await settings(ownerB)).skills).toMatchObject([{ id: ids.skill, name: 'B skill' }]);
  });

  it('a request cannot name its tenant: a merchant id in query or body is ignored', async () => {
    // Neither the query nor the body declares a merchant; the client sends what it is given all the same.
    const forgedQuery = { query: { merchantId: h.merchantB } };
    const viaQuery = await (await ownerA.api.experiments.$get(forgedQuery)).json();
    expect(viaQuery.experiments.every((e) => e.merchantId === h.merchantA)).toBe(true);
    const smuggled = { ...experimentDefinition('smuggled'), merchantId: h.merchantB };
    const res = await ownerA.api.experiments.$post({ json: smuggled });
    // Either refused as unknown input or created for A: never for B.
    if (res.status === 201) {
      const { experiment } = await res.json();
      expect(experiment.merchantId).toBe(h.merchantA);
    } else expect(res.status).toBe(400);
    const listB = await (await ownerB.api.experiments.$get()).json();
    expect(listB.experiments.map((e) => e.key)).not.toContain('smuggled');
  });
});
