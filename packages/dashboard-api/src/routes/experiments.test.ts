import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDefinition as definition } from '../testing/fixtures';
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

type Variant = { key: string; version: number; template: string; isControl: boolean };
type Experiment = {
  id: string;
  key: string;
  status: string;
  variants: Variant[];
  shippedVariantKey: string | null;
};

async function create(client: Client, key: string): Promise<Experiment> {
  const res = await client.request('POST', '/experiments', definition(key));
  expect(res.status).toBe(201);
  return ((await res.json()) as { experiment: Experiment }).experiment;
}

const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

describe('experiments API', () => {
  it('creates, edits, starts, versions a running variant, stops and concludes, keeping the history', async () => {
    const draft = await create(ownerA, 'launch-origin');
    expect(draft).toMatchObject({ key: 'launch-origin', status: 'draft' });
    expect(draft.variants.map((v) => v.key)).toEqual(['control', 'origin', 'scarcity']);

    const listed = await json<{ experiments: Experiment[] }>(ownerA.request('GET', '/experiments'));
    expect(listed.experiments.map((e) => e.id)).toContain(draft.id);
    // Analysts read everything.
    const read = await analystA.request('GET', `/experiments/${draft.id}`);
    expect(read.status).toBe(200);
    expect((await json<{ experiment: Experiment }>(read)).experiment.id).toBe(draft.id);

    const edited = await ownerA.request('PATCH', `/experiments/${draft.id}`, {
      hypothesis: 'Origin beats price',
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ experiment: { hypothesis: 'Origin beats price' } });

    const started = await ownerA.request('POST', `/experiments/${draft.id}/start`);
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ experiment: { status: 'running' } });

    // A running variant's words change only as a new version.
    const variants = definition('x').variants.map((v) =>
      v.key === 'origin' ? { ...v, template: 'Grown in Yirgacheffe, the {{product}} is {{price}}.' } : v,
    );
    const versioned = await json<{ experiment: Experiment }>(
      ownerA.request('PATCH', `/experiments/${draft.id}`, { variants }),
    );
    expect(versioned.experiment.variants.find((v) => v.key === 'origin')).toMatchObject({
      version: 2,
      template: 'Grown in Yirgacheffe, the {{product}} is {{price}}.',
    });

    // What the experiment is judged by is fixed once it runs: 409 with the reason.
    const moved = await ownerA.request('PATCH', `/experiments/${draft.id}`, {
      primaryMetric: 'revenue_per_user',
    });
    expect(moved.status).toBe(409);
    expect(await moved.json()).toMatchObject({
      error: 'conflict',
      reason: expect.stringMatching(/primaryMetric/),
    });
    const concludeRunning = await ownerA.request('POST', `/experiments/${draft.id}/conclude`, {
      shippedVariantKey: 'origin',
    });
    expect(concludeRunning.status).toBe(409);

    expect((await ownerA.request('POST', `/experiments/${draft.id}/stop`)).status).toBe(200);
    const restart = await ownerA.request('POST', `/experiments/${draft.id}/start`);
    expect(restart.status).toBe(409);
    expect(await restart.json()).toMatchObject({ reason: expect.stringMatching(/cannot restart/) });
    const unknownVariant = await ownerA.request('POST', `/experiments/${draft.id}/conclude`, {
      shippedVariantKey: 'nope',
    });
    expect(unknownVariant.status).toBe(409);

    const concluded = await ownerA.request('POST', `/experiments/${draft.id}/conclude`, {
      shippedVariantKey: 'origin',
    });
    expect(concluded.status).toBe(200);
    expect(await concluded.json()).toMatchObject({
      experiment: { status: 'concluded', shippedVariantKey: 'origin' },
    });

    const { history } = await json<{ history: { action: string; actor: { email: string } | null }[] }>(
      analystA.request('GET', `/experiments/${draft.id}/history`),
    );
    expect(history.map((e) => e.action)).toEqual([
      'create',
      'update',
      'start',
      'variant_version',
      'stop',
      'conclude',
    ]);
    expect(new Set(history.map((e) => e.actor?.email))).toEqual(new Set([A_OWNER.email]));
  });

  it('answers bad input with 400 and the zod issues', async () => {
    const noControl = definition('bad-input');
    noControl.variants = noControl.variants.map((v) => ({ ...v, isControl: false }));
    const res = await ownerA.request('POST', '/experiments', {
      ...noControl,
      key: 'Bad Key',
      primaryMetric: 'vibes',
    });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; issues: { path: (string | number)[] }[] }>(res);
    expect(body.error).toBe('invalid_request');
    const paths = body.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['key', 'primaryMetric']));

    const badSsml = definition('bad-ssml');
    badSsml.variants[1] = {
      key: 'origin',
      name: 'Origin',
      template: '<audio src="x"/>{{product}}',
      weight: 1,
    };
    const ssml = await json<{ issues: { path: (string | number)[]; message: string }[] }>(
      ownerA.request('POST', '/experiments', badSsml),
    );
    expect(ssml.issues[0]?.path).toEqual(['variants', 1, 'template']);

    const draft = await create(ownerA, 'patch-input');
    const patch = await ownerA.request('PATCH', `/experiments/${draft.id}`, { key: 'renamed' });
    expect(patch.status).toBe(400);
    const conclude = await ownerA.request('POST', `/experiments/${draft.id}/conclude`, {});
    expect(conclude.status).toBe(400);
    expect(await json(ownerA.request('GET', `/experiments/${draft.id}`))).toMatchObject({
      experiment: { key: 'patch-input', status: 'draft' },
    });
  });

  it('refuses a key already used by the merchant with 409, but not one used by another merchant', async () => {
    await create(ownerA, 'shared-key');
    const again = await ownerA.request('POST', '/experiments', definition('shared-key'));
    expect(again.status).toBe(409);
    await create(ownerB, 'shared-key');
  });

  it('an analyst and an API key read but cannot change anything (403)', async () => {
    const draft = await create(ownerA, 'read-only');
    const { apiKey } = await json<{ apiKey: { key: string } }>(
      ownerA.request('POST', '/api-keys', { name: 'reader' }),
    );
    const bot = h.anonymous(apiKey.key);
    for (const reader of [analystA, bot]) {
      expect((await reader.request('GET', '/experiments')).status).toBe(200);
      expect((await reader.request('GET', `/experiments/${draft.id}`)).status).toBe(200);
      expect((await reader.request('GET', `/experiments/${draft.id}/history`)).status).toBe(200);
      const writes = await Promise.all([
        reader.request('POST', '/experiments', definition('by-reader')),
        reader.request('PATCH', `/experiments/${draft.id}`, { name: 'hijacked' }),
        reader.request('POST', `/experiments/${draft.id}/start`),
        reader.request('POST', `/experiments/${draft.id}/stop`),
        reader.request('POST', `/experiments/${draft.id}/conclude`, { shippedVariantKey: 'origin' }),
      ]);
      expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    }
    const after = await json<{ experiment: Experiment & { name: string } }>(
      ownerA.request('GET', `/experiments/${draft.id}`),
    );
    expect(after.experiment).toMatchObject({ name: 'Launch pitch', status: 'draft' });
    const { history } = await json<{ history: unknown[] }>(
      ownerA.request('GET', `/experiments/${draft.id}/history`),
    );
    expect(history).toHaveLength(1);
    const list = await json<{ experiments: Experiment[] }>(ownerA.request('GET', '/experiments'));
    expect(list.experiments.map((e) => e.key)).not.toContain('by-reader');
  });

  it('a write without the CSRF token is refused (403) and changes nothing', async () => {
    const draft = await create(ownerA, 'csrf-guarded');
    const noToken = { 'x-csrf-token': '' };
    expect((await ownerA.request('POST', '/experiments', definition('csrf-new'), noToken)).status).toBe(403);
    expect((await ownerA.request('POST', `/experiments/${draft.id}/start`, undefined, noToken)).status).toBe(
      403,
    );
    const crossSite = { origin: 'https://evil.example' };
    expect(
      (await ownerA.request('POST', `/experiments/${draft.id}/start`, undefined, crossSite)).status,
    ).toBe(403);
    expect(await json(ownerA.request('GET', `/experiments/${draft.id}`))).toMatchObject({
      experiment: { status: 'draft' },
    });
  });

  it('answers 401 without credentials', async () => {
    expect((await h.anonymous().request('GET', '/experiments')).status).toBe(401);
  });
});
