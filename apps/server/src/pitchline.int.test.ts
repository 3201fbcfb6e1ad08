import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devCaDir, loadOrCreateDevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { buildLaunchRequest, createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { countEventsByType, reasonCounts } from '@pitchline/analytics/testing';
import { DEMO_ACCESS_TOKEN, DEMO_OWNER_EMAIL, DEMO_SKILL_ID } from '@pitchline/db';
import { createLogger } from '@pitchline/runtime/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { type Pitchline, startPitchline } from './pitchline';

// One embedded Pitchline (chDB + PGlite) for this file: both engines bind per process.
let dataDir: string;
let pitchline: Pitchline;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-server-'));
  pitchline = await startPitchline(loadEnv({ DATA_DIR: dataDir }), createLogger('silent'));
}, 120_000);

afterAll(async () => {
  await pitchline?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function waitForReady(): Promise<Response> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await pitchline.app.request('/readyz');
    if (res.status === 200 || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('embedded Pitchline', () => {
  it('seeds the demo merchant on the first start of an empty data dir', () => {
    expect(pitchline.seeded?.login.email).toBe(DEMO_OWNER_EMAIL);
  });

  it('is live at once and ready when both stores answer and migrations are applied', async () => {
    expect((await pitchline.app.request('/healthz')).status).toBe(200);
    const ready = await waitForReady();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { postgres: true, clickhouse: true, migrations: true },
    });
  });

  it('serves Prometheus metrics including the event log and HTTP counters', async () => {
    await pitchline.app.request('/healthz');
    const res = await pitchline.app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/pitchline_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/pitchline_process_resident_memory_bytes/);
    expect(text).toMatch(/event/);
  });

  it('mounts the dashboard API', async () => {
    const res = await pitchline.app.request('/api/status');
    expect(await res.json()).toEqual({ ready: true });
  });

  it('answers a request signed with the development CA, and records its events in ClickHouse', async () => {
    const { signer } = await loadOrCreateDevSigner(devCaDir(dataDir));
    const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken: DEMO_ACCESS_TOKEN });
    const body = JSON.stringify(session.launch());
    const res = await pitchline.app.request('/alexa', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { response: { outputSpeech?: { ssml?: string } } };
    expect(answer.response.outputSpeech?.ssml).toMatch(/^<speak>[\s\S]*Northwind/);

    await pitchline.stores.events.flush();
    const rows = await countEventsByType(pitchline.stores.ch, { sessionId: session.sessionId });
    expect(rows).toEqual([
      { type: 'session_start', n: 1 },
      { type: 'turn', n: 1 },
    ]);
  });

  it('rejects an unsigned request with 400 and records why', async () => {
    const body = JSON.stringify(buildLaunchRequest({ applicationId: DEMO_SKILL_ID }));
    const res = await pitchline.app.request('/alexa', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'missing_headers' });
    await pitchline.flushRejections();
    await pitchline.stores.events.flush();
    const reasons = await reasonCounts(pitchline.stores.ch, 'request_rejected');
    expect(reasons.map((r) => r.reason)).toContain('missing_headers');
    // Counted for Prometheus as it happened, per merchant and reason.
    const metrics = await (await pitchline.app.request('/metrics')).text();
    expect(metrics).toMatch(
      /pitchline_alexa_requests_rejected_total\{merchant_id="[0-9a-f-]+",reason="missing_headers"\} [1-9]/,
    );
  });

  it('reports draining on /readyz once asked to drain', async () => {
    pitchline.drain();
    const res = await pitchline.app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'draining' });
  });
});
