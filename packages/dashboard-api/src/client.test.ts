import { afterAll, beforeAll, expect, it } from 'vitest';
import { dashboardClient } from './client';
import { experimentDefinition } from './testing/fixtures';
import { A_OWNER, expectStatus, type Harness, ORIGIN, openHarness } from './testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
}, 60_000);
afterAll(async () => h?.close());

it('the typed client drives the real app: login, CSRF header, create and read an experiment', async () => {
  let cookie = '';
  const client = dashboardClient(ORIGIN, {
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (cookie) headers.set('cookie', cookie);
      const res = await h.app.request(input instanceof Request ? input : String(input), { ...init, headers });
      cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      return res;
    },
  });
  const login = await client.auth.login.$post({ json: A_OWNER });
  expectStatus(login, 200);
  const me = await login.json();
  expect(me.role).toBe('owner');

  const headers = { 'x-csrf-token': me.csrfToken ?? '' };
  const created = await client.experiments.$post({ json: experimentDefinition('typed-client') }, { headers });
  expectStatus(created, 201);
  const { experiment } = await created.json();
  const read = await client.experiments[':id'].$get({ param: { id: experiment.id } });
  expectStatus(read, 200);
  expect((await read.json()).experiment.key).toBe('typed-client');
});
