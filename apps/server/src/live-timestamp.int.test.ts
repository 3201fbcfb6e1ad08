import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type DevSigner,
  devCaDir,
  loadOrCreateDevSigner,
  signAlexaRequest,
} from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { reasonCounts } from '@pitchline/analytics/testing';
import { DEMO_SKILL_ID } from '@pitchline/db';
import { listen, type RunningHttpServer } from '@pitchline/runtime/http';
import { createLogger } from '@pitchline/runtime/logger';
import type { HistoryResult } from '@pitchline/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { type Pitchline, startPitchline } from './pitchline';

/*
 * Issue #6: the demo history is replayed through the skill's real handlers with simulated clocks (one per
 * session, carried by AsyncLocalStorage in this same process), "keeping the live 150-second timestamp rule
 * untouched for real traffic". So while that replay runs, and after, a request Alexa would have sent
 * 151 s ago must still be refused at the real endpoint, and a fresh one answered. A simulated clock
 * leaking into the live app (its `now` read from the replay's session store, or a shared verifier) would
 * let the old one through.
 */

let dataDir: string;
let pitchline: Pitchline;
let server: RunningHttpServer;
let signer: DevSigner;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-live-ts-'));
  // An empty DATA_DIR: this start seeds the demo merchant, so its demo history is pending.
  pitchline = await startPitchline(
    loadEnv({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' }),
    createLogger('silent'),
  );
  server = await listen(pitchline.app, { port: 0, host: '127.0.0.1' });
  ({ signer } = await loadOrCreateDevSigner(devCaDir(dataDir)));
}, 180_000);

afterAll(async () => {
  await server?.close(1_000);
  await pitchline?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Answer = { status: number; body: unknown };

/** A LaunchRequest stamped `ageMs` ago (Alexa's second precision), signed by the dev CA, over HTTP. */
async function launchAged(ageMs: number): Promise<Answer> {
  const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, now: new Date(Date.now() - ageMs) });
  const body = JSON.stringify(session.launch());
  const res = await fetch(`${server.url}/alexa`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
  });
  return { status: res.status, body: await res.json() };
}

/** Events the writer has taken so far (in its log or shipped): grows while the replay plays sessions. */
function eventsTaken(): number {
  const { queued, shipped } = pitchline.stores.events.stats();
  return queued + shipped;
}

type Probe = { stale: Answer; recent: Answer; fresh: Answer; taken: number };

/** Every probe sent, also one the replay finished during (then not counted as "during"). */
let probesSent = 0;

async function probe(): Promise<Probe> {
  probesSent++;
  return {
    stale: await launchAged(151_000),
    // Inside the window: the rule is "150 s", not "anything from the past".
    recent: await launchAged(100_000),
    fresh: await launchAged(0),
    taken: eventsTaken(),
  };
}

describe('the live 150-second rule beside the demo history replay', () => {
  it('refuses a 151 s old request (400 stale_timestamp) during the replay and after it, and answers fresh ones', async () => {
    const replay = pitchline.startDemoHistory();
    expect(replay).not.toBeNull();
    let replaying = true;
    let history: HistoryResult | null = null;
    const done = (replay as Promise<HistoryResult | null>).then((h) => {
      history = h;
      replaying = false;
    });
    const during: Probe[] = [];
    const started = performance.now();
    while (replaying) {
      const p = await probe();
      // Counted only if the replay was still running when all three answers were in.
      if (replaying) during.push(p);
      await new Promise((r) => setTimeout(r, 200));
    }
    await done;
    const replayMs = performance.now() - started;
    const after = await probe();

    const result = history as HistoryResult | null;
    expect(result?.complete).toBe(true);
    // The replayed requests, stamped days ago, passed the same verifier with their simulated clocks.
    expect(result?.stats.byStatus).toEqual({ '200': result?.stats.requests });
    process.stdout.write(
      `live 150 s rule: ${during.length} probes while the replay ran (${result?.stats.requests} replayed requests in ${(replayMs / 1000).toFixed(1)} s), then one after\n`,
    );
    // Several probes really overlapped the replay, and it was recording events between them.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect((during.at(-1) as Probe).taken).toBeGreaterThan((during[0] as Probe).taken);

    for (const p of [...during, after]) {
      expect(p.stale).toEqual({ status: 400, body: { error: 'stale_timestamp' } });
      expect(p.recent.status).toBe(200);
      expect(p.fresh.status).toBe(200);
    }

    // Each refusal is recorded with its reason, as for any rejected request.
    await pitchline.flushRejections();
    await pitchline.stores.events.flush();
    const rejected = await reasonCounts(pitchline.stores.ch, 'request_rejected');
    expect(rejected.find((r) => r.reason === 'stale_timestamp')?.n ?? 0).toBe(probesSent);
  }, 150_000);
});
