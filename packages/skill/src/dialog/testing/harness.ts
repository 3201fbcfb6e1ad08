/**
 * Drives the real skill app the way Alexa does, for tests: a migrated PGlite seeded with the demo
 * merchant, requests signed by a development CA the verifier trusts, the simulated Stripe gateway
 * delivering signed webhooks back to the app, and an in-memory event sink that validates every
 * event against the contract.
 */

import {
  createDevCa,
  createDevSigner,
  type DevSigner,
  devCertUrl,
  issueSigningCertificate,
  signAlexaRequest,
} from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession, type EnvelopeOptions, type EnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { type PitchlineEvent, parseEvent, ssmlToPlainText } from '@pitchline/core';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID, seedDemo } from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import type { Hono } from 'hono';
import { createSkillApp, type SkillAppDeps } from '../../app';
import { SimulatedGateway } from '../../payments/simulated-gateway';
import { createSkillMetrics, type SkillMetrics } from '../../recording/metrics';
import { RejectionTally } from '../../recording/rejection-tally';

export const WEBHOOK_SECRET = 'whsec_test_dialog';
export const USER_ID_HASH_KEY = 'test-user-hash-key';

export interface Harness {
  database: TestDatabase;
  app: Hono;
  gateway: SimulatedGateway;
  events: PitchlineEvent[];
  metrics: SkillMetrics;
  /** Writes the refused requests counted so far (request_rejected rows) into `events`. */
  flushRejections(): Promise<void>;
  /** Makes the event sink throw, as a broken analytics store would (for every event, or those the predicate picks). */
  failRecording(fail: boolean | ((event: PitchlineEvent) => boolean)): void;
  send(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
  /** The raw HTTP response, for status checks. */
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  conversation(options?: EnvelopeOptions): Conversation;
  close(): Promise<void>;
}

export interface Conversation {
  session: EnvelopeSession;
  launch(): Promise<ResponseEnvelope>;
  say(intent: string, slots?: Record<string, string | undefined>): Promise<ResponseEnvelope>;
  ended(reason: 'USER_INITIATED' | 'EXCEEDED_MAX_REPROMPTS' | 'ERROR'): Promise<ResponseEnvelope>;
  send(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
}

let signerPromise: Promise<{ signer: DevSigner; caPem: string }> | undefined;
function devSigner() {
  signerPromise ??= (async () => {
    const ca = await createDevCa();
    const issued = await issueSigningCertificate(ca);
    return { signer: createDevSigner(issued, devCertUrl('pitchline-dialog-test')), caPem: ca.certPem };
  })();
  return signerPromise;
}

/**
 * The simulated payment gateway, delivering its signed webhooks to the skill app's own
 * /webhooks/stripe route in process, as the deployed server's loopback does. `app` is read at
 * delivery time: the gateway is built before the app that receives them.
 */
export function loopbackSimulatedGateway(app: () => Hono): SimulatedGateway {
  return new SimulatedGateway({
    webhookSecret: WEBHOOK_SECRET,
    publicUrl: 'http://127.0.0.1:3000',
    retryDelayMs: 1,
    deliver: async (rawBody, signatureHeader) => {
      const res = await app().request('/webhooks/stripe', {
        method: 'POST',
        headers: { 'stripe-signature': signatureHeader, 'content-type': 'application/json' },
        body: rawBody,
      });
      return { status: res.status };
    },
  });
}

export async function createHarness(overrides: Partial<SkillAppDeps> = {}): Promise<Harness> {
  const database = await openTestDatabase('pglite');
  await seedDemo(database.db);
  const { signer, caPem } = await devSigner();
  const events: PitchlineEvent[] = [];
  let failing: boolean | ((event: PitchlineEvent) => boolean) = false;
  const metrics = createSkillMetrics();
  // Flushed by the tests (flushRejections) rather than on a timer, so they read rows when they ask.
  const rejections = new RejectionTally({
    record: (event) => {
      events.push(parseEvent(event));
    },
    clock: overrides.clock ?? Date.now,
    flushEveryMs: 0,
  });
  let app: Hono | undefined;
  const gateway = loopbackSimulatedGateway(() => app as Hono);
  app = createSkillApp({
    db: database.db,
    recordEvent: async (event) => {
      if (failing === true || (typeof failing === 'function' && failing(event))) {
        throw new Error('analytics store is down');
      }
      // The contract is checked here too, so a test fails on any event the skill gets wrong.
      events.push(parseEvent(event));
    },
    userIdHashKey: USER_ID_HASH_KEY,
    verification: {
      enabled: true,
      trustedRootsPem: [caPem],
      preloadedChains: { [signer.certUrl]: signer.chainPem },
    },
    payments: { gateway, webhookSecret: WEBHOOK_SECRET },
    metrics,
    // Tests edit the catalog between turns and expect the very next turn to hear it.
    catalogCheckIntervalMs: 0,
    rejections,
    ...overrides,
  });
  const skillApp = app;

  const post = async (body: string, headers: Record<string, string> = {}) =>
    skillApp.request('/alexa', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer), ...headers },
      body,
    });
  const send = async (envelope: RequestEnvelope) => {
    const res = await post(JSON.stringify(envelope));
    if (res.status !== 200) throw new Error(`POST /alexa answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ResponseEnvelope;
  };

  return {
    database,
    app: skillApp,
    gateway,
    events,
    metrics,
    flushRejections: () => rejections.flush(),
    failRecording: (fail) => {
      failing = fail;
    },
    send,
    post,
    conversation(options = {}) {
      const session = createEnvelopeSession({
        applicationId: DEMO_SKILL_ID,
        accessToken: DEMO_ACCESS_TOKEN,
        ...options,
      });
      const sendInSession = async (envelope: RequestEnvelope) => {
        const response = await send(envelope);
        session.setAttributes(response.sessionAttributes);
        return response;
      };
      return {
        session,
        send: sendInSession,
        launch: () => sendInSession(session.launch()),
        say: (intent, slots) => sendInSession(session.intent(intent, slots)),
        ended: (reason) => sendInSession(session.ended(reason)),
      };
    },
    async close() {
      await gateway.idle();
      await database.close();
    },
  };
}

/** What the shopper hears, as plain text. */
export function said(response: ResponseEnvelope): string {
  return ssmlToPlainText(speech(response));
}

/** The SSML Alexa would speak. */
export function speech(response: ResponseEnvelope): string {
  const out = response.response.outputSpeech;
  return out?.type === 'SSML' ? out.ssml : (out?.text ?? '');
}

export function eventsOf<T extends PitchlineEvent['type']>(events: readonly PitchlineEvent[], type: T) {
  return events.filter((e): e is Extract<PitchlineEvent, { type: T }> => e.type === type);
}
