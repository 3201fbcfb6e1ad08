import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDefinition as definition } from '../testing/fixtures';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  malformed,
  ORIGIN,
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

async function create(client: Client, key: string) {
  const res = await client.api.experiments.$post({ json: definition(key) });
  expectStatus(res, 201);
  return (await res.json()).experiment;
}

const list = async (client: Client) => (await client.api.experiments.$get()).json();
const read = (client: Client, id: string) => client.api.experiments[':id'].$get({ param: { id } });
async function history(client: Client, id: string) {
  const res = await client.api.experiments[':id'].history.$get({ param: { id } });
  expectStatus(res, 200);
  return (await res.json()).history;
}

describe('experiments API', () => {
  it('creates, edits, starts, versions a running variant, stops and concludes, keeping the history', async () => {
    const draft = await create(ownerA, 'launch-origin');
    expect(draft).toMatchObject({ key: 'launch-origin', status: 'draft' });
    expect(draft.variants.map((v) => v.key)).toEqual(['control', 'origin', 'scarcity']);

    const param = { id: draft.id };
    const listed = await list(ownerA);
    expect(listed.experiments.map((e) => e.id)).toContain(draft.id);
    // Analysts read everything.
    const analystRead = await read(analystA, draft.id);
    expectStatus(analystRead, 200);
    expect((await analystRead.json()).experiment.id).toBe(draft.id);

    const edited = await ownerA.api.experiments[':id'].$patch({
      param,
      json: { hypothesis: 'Origin beats price' },
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ experiment: { hypothesis: 'Origin beats price' } });

    const started = await ownerA.api.experiments[':id'].start.$post({ param });
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ experiment: { status: 'running' } });

    // A running variant's words change only as a new version.
    const variants = definition('x').variants.map((v) =>
      v.key === 'origin' ? { ...v, template: 'Grown in Yirgacheffe, the {{product}} is {{price}}.' } : v,
    );
    const versionedRes = await ownerA.api.experiments[':id'].$patch({ param, json: { variants } });
    expectStatus(versionedRes, 200);
    const versioned = await versionedRes.json();
    expect(versioned.experiment.variants.find((v) => v.key === 'origin')).toMatchObject({
      version: 2,
      template: 'Grown in Yirgacheffe, the {{product}} is {{price}}.',
    });

    // What the experiment is judged by is fixed once it runs: 409 with the reason.
    const moved = await ownerA.api.experiments[':id'].$patch({
      param,
      json: { primaryMetric: 'revenue_per_user' },
    });
    expect(moved.status).toBe(409);
    expect(await moved.json()).toMatchObject({
      error: 'conflict',
      reason: expect.stringMatching(/primaryMetric/),
    });
    const conclude = (shippedVariantKey: string) =>
      ownerA.api.experiments[':id'].conclude.$post({ param, json: { shippedVariantKey } });
    const concludeRunning = await conclude('origin');
    expect(concludeRunning.status).toBe(409);

    expect((await ownerA.api.experiments[':id'].stop.$post({ param })).status).toBe(200);
    const restart = await ownerA.api.experiments[':id'].start.$post({ param });
    expect(restart.status).toBe(409);
    expect(await restart.json()).toMatchObject({ reason: expect.stringMatching(/cannot restart/) });
    const unknownVariant = await conclude('nope');
    expect(unknownVariant.status).toBe(409);

    const concluded = await conclude('origin');
    expect(concluded.status).toBe(200);
    expect(await concluded.json()).toMatchObject({
      experiment: { status: 'concluded', shippedVariantKey: 'origin' },
    });

    const entries = await history(analystA, draft.id);
    expect(entries.map((e) => e.action)).toEqual([
      'create',
      'update',
      'start',
      'variant_version',
      'stop',
      'conclude',
    ]);
    expect(new Set(entries.map((e) => e.actor?.email))).toEqual(new Set([A_OWNER.email]));
  });

  it('answers bad input with 400 and the zod issues', async () => {
    const noControl = definition('bad-input');
    noControl.variants = noControl.variants.map((v) => ({ ...v, isControl: false }));
    const res = await ownerA.api.experiments.$post({
      json: { ...noControl, key: 'Bad Key', primaryMetric: malformed('vibes') },
    });
    expectStatus(res, 400);
    const body = await res.json();
    expect(body.error).toBe('invalid_request');
    // A store's refusal (`reasons`) would have no issues: this one is the schema's.
    const paths = 'issues' in body ? body.issues.map((i) => i.path.join('.')) : [];
    expect(paths).toEqual(expect.arrayContaining(['key', 'primaryMetric']));

    const badSsml = definition('bad-ssml');
    badSsml.variants[1] = {
      key: 'origin',
      name: 'Origin',
      template: '<audio src="x"/>{{product}}',
      weight: 1,
    };
    const ssml = await ownerA.api.experiments.$post({ json: badSsml });
    expectStatus(ssml, 400);
    const refused = await ssml.json();
    expect('issues' in refused && refused.issues[0]?.path).toEqual(['variants', 1, 'template']);

    const draft = await create(ownerA, 'patch-input');
    const param = { id: draft.id };
    // A field the patch schema does not have, and a conclusion without its variant.
    const patch = await ownerA.api.experiments[':id'].$patch({ param, json: malformed({ key: 'renamed' }) });
    expect(patch.status).toBe(400);
    const conclude = await ownerA.api.experiments[':id'].conclude.$post({ param, json: malformed({}) });
    expect(conclude.status).toBe(400);
    expect(await (await read(ownerA, draft.id)).json()).toMatchObject({
      experiment: { key: 'patch-input', status: 'draft' },
    });
  });

  it('answers a body that is not JSON with the same 400, and stores nothing', async () => {
    const res = await h.app.request(`${ORIGIN}/experiments`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        cookie: ownerA.cookie ?? '',
        'x-csrf-token': ownerA.csrf ?? '',
        'content-type': 'application/json',
      },
      body: '{"key": "half-sent',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      issues: [{ code: 'custom', path: [], message: 'the body is not valid JSON' }],
    });
    expect((await list(ownerA)).experiments.map((e) => e.key)).not.toContain('half-sent');
  });

  it('refuses a key already used by the merchant with 409, but not one used by another merchant', async () => {
    await create(ownerA, 'shared-key');
    const again = await ownerA.api.experiments.$post({ json: definition('shared-key') });
    expect(again.status).toBe(409);
    await create(ownerB, 'shared-key');
  });

  it('an analyst and an API key read but cannot change anything (403)', async () => {
    const draft = await create(ownerA, 'read-only');
    const key = await ownerA.api['api-keys'].$post({
      json: { name: 'reader', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
    });
    expectStatus(key, 201);
    const { apiKey } = await key.json();
    const bot = h.anonymous(apiKey.key);
    const param = { id: draft.id };
    for (const reader of [analystA, bot]) {
      expect((await reader.api.experiments.$get()).status).toBe(200);
      expect((await read(reader, draft.id)).status).toBe(200);
      expect((await reader.api.experiments[':id'].history.$get({ param })).status).toBe(200);
      const writes = await Promise.all([
        reader.api.experiments.$post({ json: definition('by-reader') }),
        reader.api.experiments[':id'].$patch({ param, json: { name: 'hijacked' } }),
        reader.api.experiments[':id'].start.$post({ param }),
        reader.api.experiments[':id'].stop.$post({ param }),
        reader.api.experiments[':id'].conclude.$post({ param, json: { shippedVariantKey: 'origin' } }),
      ]);
      expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    }
    const after = await read(ownerA, draft.id);
    expectStatus(after, 200);
    expect((await after.json()).experiment).toMatchObject({ name: 'Launch pitch', status: 'draft' });
    expect(await history(ownerA, draft.id)).toHaveLength(1);
    expect((await list(ownerA)).experiments.map((e) => e.key)).not.toContain('by-reader');
  });

  it('a write without the CSRF token is refused (403) and changes nothing', async () => {
    const draft = await create(ownerA, 'csrf-guarded');
    const noToken = { headers: { 'x-csrf-token': '' } };
    const param = { id: draft.id };
    expect((await ownerA.api.experiments.$post({ json: definition('csrf-new') }, noToken)).status).toBe(403);
    expect((await ownerA.api.experiments[':id'].start.$post({ param }, noToken)).status).toBe(403);
    const crossSite = { headers: { origin: 'https://evil.example' } };
    expect((await ownerA.api.experiments[':id'].start.$post({ param }, crossSite)).status).toBe(403);
    expect(await (await read(ownerA, draft.id)).json()).toMatchObject({
      experiment: { status: 'draft' },
    });
  });

  it('answers 401 without credentials', async () => {
    expect((await h.anonymous().api.experiments.$get()).status).toBe(401);
  });
});
