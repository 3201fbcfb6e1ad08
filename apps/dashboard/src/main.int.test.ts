import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  spawnDeployable,
  startDeployable,
} from '@pitchline/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The dashboard as its own process (the scaled mode's deployable): the API under /api and the SPA's
 * built files, with the ops routes, and no Alexa endpoint.
 */

const appDir = path.resolve(import.meta.dirname, '..');
let stores: PreparedStores;
let server: ServerProcess | undefined;

beforeAll(async () => {
  stores = await prepareServerStores();
  server = await startDeployable(appDir, stores.dataDir, stores.env);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await stores?.dispose();
});

describe('the dashboard process', () => {
  it('refuses a bad variable with exit code 2, naming it', async () => {
    const bad = spawnDeployable(appDir, { DATA_DIR: stores.dataDir, PORT: 'eighty' });
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/PORT: PORT accepts a TCP port number/);
  });

  it('serves the API, signs in the demo owner, and serves the SPA when it is built', async () => {
    const url = server?.url as string;
    expect(await (await fetch(`${url}/api/status`)).json()).toEqual({ ready: true });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email: 'demo@pitchline.dev', password: 'pitchline-demo' }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${url}/alexa`, { method: 'POST', body: '{}' })).status).toBe(404);
    if (existsSync(path.join(appDir, 'dist', 'index.html'))) {
      const page = await fetch(`${url}/experiments`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const code = await server?.stop();
    server = undefined;
    expect(code).toBe(0);
  });
});
