import path from 'node:path';
import { signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  spawnDeployable,
  startDeployable,
} from '@pitchline/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The skill endpoint as its own process (the scaled mode's deployable): it serves the Alexa endpoint and
 * the Stripe webhooks with the ops routes, and nothing of the dashboard; it seeds nothing.
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

describe('the skill endpoint process', () => {
  it('refuses a bad variable with exit code 2, naming it', async () => {
    const bad = spawnDeployable(appDir, { DATA_DIR: stores.dataDir, PAYMENTS: 'paypal' });
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/PAYMENTS: PAYMENTS accepts simulated or stripe/);
  });

  it('answers a signed request with the dialog, and has no dashboard', async () => {
    const url = server?.url as string;
    const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken: DEMO_ACCESS_TOKEN });
    const body = JSON.stringify(session.launch());
    const res = await fetch(`${url}/alexa`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, stores.signer) },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { response: { outputSpeech?: { ssml?: string } } };
    expect(answer.response.outputSpeech?.ssml).toMatch(/Northwind/);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/status`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(404);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const code = await server?.stop();
    server = undefined;
    expect(code).toBe(0);
  });
});
