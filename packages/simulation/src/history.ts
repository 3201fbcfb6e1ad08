import { AsyncLocalStorage } from 'node:async_hooks';
import { generateKeyPairSync } from 'node:crypto';
import {
  createDevCa,
  createDevSigner,
  type DevSigner,
  devCertUrl,
  issueSigningCertificate,
} from '@pitchline/alexa-kit/dev-ca';
import type { Logger, RecordEvent } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import { createExperimentCache, createSkillApp } from '@pitchline/skill';
import { newSimulatedWebhookSecret, SimulatedGateway } from '@pitchline/skill/payments';
import type { Hono } from 'hono';
import Stripe from 'stripe';
import type { SimulatorConfig } from './config';
import { historyWindow, makeShoppers, planVisits, type Visit } from './plan';
import { runVisits, type WithClock } from './run';
import { sessionIdOf } from './session';
import { ensureExperiment, linkShoppers, merchantOfSkill } from './setup';
import { type RunStats, StatsCollector } from './stats';
import { signedSender } from './transport';

/*
 * Replaying past days through the REAL skill: a second skill app, built in this process with the same
 * factory, handlers, verification code, payment gateway and webhook processing the server uses, whose
 * clocks are simulated. Nothing writes event rows by hand.
 *
 * - One clock per session, carried by AsyncLocalStorage: many sessions run at once, each at its own
 *   simulated instant, and everything that happens on behalf of a session (the handlers' event
 *   timestamps, the verifier's 150-second timestamp check, the simulated Stripe's webhook for the
 *   session's payment) reads that session's time. The live app keeps Date.now: its rules are untouched.
 * - Requests are signed as Alexa signs them and verified against `now` = the simulated instant. The
 *   live development CA was made today, so it was not valid on the replayed days; this app trusts, in
 *   memory only, a development CA (and signing certificate) dated from before the replayed window.
 * - Payment events take their time from the Stripe event's `created`. The simulated Stripe stamps the
 *   wall clock, so each webhook is re-dated to the session's instant and signed again (with the same
 *   secret, real time in the signature header) before it goes to the real webhook endpoint.
 */

export interface HistoryDeps {
  db: PitchlineDb;
  /** Where the turns' events go: the server's EventWriter (through its write-ahead log). */
  recordEvent: RecordEvent;
  /** The server's key, so replayed shoppers are the same analytics users as live ones. */
  userIdHashKey: string;
  logger?: Logger;
}

export interface HistoryResult {
  stats: RunStats;
  window: { start: number; end: number };
  /** The plan's visits (sessions), played now or before. */
  visits: number;
  /** Visits not played because `recorded` reported their sessions already stored (a resumed replay). */
  skipped: number;
  /** False when the run was aborted before every visit was played (now or before). */
  complete: boolean;
  linkedShoppers: number;
  /** The demo experiment, and when it started (ms; the replay's baseline days come before). */
  experiment?: { id: string; created: boolean; startedAt: number };
  elapsedMs: number;
}

const DAY_MS = 86_400_000;

interface SessionTime {
  t: number;
}

/** Which of the given session ids the stores already hold (see replayHistory's `recorded`). */
export type RecordedSessions = (sessionIds: readonly string[]) => Promise<ReadonlySet<string>>;

export async function replayHistory(
  deps: HistoryDeps,
  input: SimulatorConfig,
  options: {
    skillId: string;
    now?: number;
    signal?: AbortSignal;
    /**
     * Which of the plan's session ids the stores already hold: those visits are not played again, so a
     * replay stopped half-way can be resumed (with the same `now`) without doubling anything.
     */
    recorded?: RecordedSessions;
  },
): Promise<HistoryResult> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const merchant = await merchantOfSkill(deps.db, options.skillId);
  const merchantId = merchant.merchantId;
  // Days and hours are the merchant's: a replay into a Tokyo shop has its evenings in Tokyo.
  const config: SimulatorConfig = { ...input, timeZone: merchant.timeZone };
  const window = historyWindow(now, config.days, config.timeZone);
  const experimentStart =
    config.experimentDays !== undefined && config.experimentDays < config.days
      ? historyWindow(now, config.experimentDays, config.timeZone).start
      : window.start;
  const planned = planVisits(config, window);
  const ids = planned.map((visit) => sessionIdOf(config.seed, visit));
  const recorded = options.recorded ? await options.recorded(ids) : new Set<string>();
  const visits = planned.filter((_, i) => !recorded.has(ids[i] as string));
  const linkedShoppers = await linkShoppers(deps.db, merchantId, makeShoppers(config));

  const sessions = new AsyncLocalStorage<SessionTime>();
  const clock = () => sessions.getStore()?.t ?? Date.now();
  const { app, signer, gateway } = await buildHistoryApp(deps, clock, window.start, now);
  const send = signedSender(
    (body, headers) => Promise.resolve(app.request('/alexa', { method: 'POST', body, headers })),
    signer,
  );

  const play = (phase: readonly Visit[]) =>
    runVisits(config, phase, options.skillId, send, withClock, {
      collector,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const withClock: WithClock = (visit, run) => {
    const time: SessionTime = { t: visit.at };
    return sessions.run(time, () =>
      run({
        now: () => time.t,
        think: async (ms) => {
          time.t += Math.round(ms);
        },
      }),
    );
  };
  // The baseline days run with no experiment in the database (the skill would assign any running one,
  // whatever its start); the experiment is created, started at its day, before the first visit after.
  const collector = new StatsCollector();
  const firstAfter = visits.findIndex((v) => v.at >= experimentStart);
  const split = firstAfter < 0 ? visits.length : firstAfter;
  await play(visits.slice(0, split));
  const experiment =
    config.experiment && !options.signal?.aborted
      ? {
          ...(await ensureExperiment(deps.db, merchantId, config.experiment, {
            startedAt: new Date(experimentStart),
            seed: config.seed,
          })),
        }
      : undefined;
  await play(visits.slice(split));
  const stats = collector.stats;
  // Webhooks are delivered after the charge returns, as Stripe does; the replay is done when they are.
  await gateway.idle();
  return {
    stats,
    window,
    visits: planned.length,
    skipped: planned.length - visits.length,
    complete: stats.sessions === visits.length,
    linkedShoppers,
    ...(experiment ? { experiment } : {}),
    elapsedMs: performance.now() - started,
  };
}

async function buildHistoryApp(
  deps: HistoryDeps,
  clock: () => number,
  windowStart: number,
  now: number,
): Promise<{ app: Hono; signer: DevSigner; gateway: SimulatedGateway }> {
  const notBefore = new Date(windowStart - 2 * DAY_MS);
  const ca = await createDevCa({ name: 'Pitchline History Replay CA', notBefore });
  const issued = await issueSigningCertificate(ca, {
    notBefore,
    notAfter: new Date(now + 2 * DAY_MS),
    // Signing is a fifth of a replayed turn's CPU with a 2048-bit key. This key never leaves the
    // process and only this app trusts its CA, so it need only be real, not strong: the verifier runs
    // the same checks on it (RSA, SHA-256, chain, dates, SAN) as on Amazon's.
    keyPem: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
  });
  const name = `pitchline-history-${Math.floor(now / 1000)}`;
  const signer = createDevSigner(issued, devCertUrl(name));

  const webhookSecret = newSimulatedWebhookSecret();
  const publicUrl = 'http://127.0.0.1:3000';
  let app: Hono | undefined;
  const gateway = new SimulatedGateway({
    webhookSecret,
    publicUrl,
    ...(deps.logger ? { logger: deps.logger } : {}),
    deliver: async (rawBody) => {
      if (!app) throw new Error('history app not built yet');
      const payload = redate(rawBody, clock());
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
      const res = await app.request('/webhooks/stripe', {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      });
      return { status: res.status };
    },
  });
  app = createSkillApp({
    db: deps.db,
    recordEvent: deps.recordEvent,
    userIdHashKey: deps.userIdHashKey,
    ...(deps.logger ? { logger: deps.logger } : {}),
    clock,
    verification: {
      enabled: true,
      trustedRootsPem: [ca.certPem],
      preloadedChains: { [`${name}.pem`]: issued.chainPem },
      now: clock,
    },
    payments: { gateway, webhookSecret, publicUrl },
    // The running-experiments cache must age on the simulated clock: on the wall clock a replay moves
    // days in milliseconds, so the experiment started between the baseline and test phases would stay
    // unseen for the cache's whole wall-clock TTL and the first visits after the start would hear no
    // variant (how many depended on machine speed: a flaky verdict).
    experiments: createExperimentCache(deps.db, { now: clock }),
  });
  return { app, signer, gateway };
}

/** The Stripe event as if sent at `at`: `created` (what the webhook processing stamps events with). */
function redate(rawBody: string, at: number): string {
  const event = JSON.parse(rawBody) as { created?: number; data?: { object?: { created?: number } } };
  const seconds = Math.floor(at / 1000);
  event.created = seconds;
  if (event.data?.object && typeof event.data.object.created === 'number')
    event.data.object.created = seconds;
  return JSON.stringify(event, null, 2);
}
