import { type Logger, type PitchlineEvent, type RecordEvent, silentLogger } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import { Hono } from 'hono';
import { type CatalogCache, createCatalogCache } from './catalog/cache';
import { createSkillDirectory } from './catalog/skill-directory';
import type { Catalog } from './catalog/types';
import type { CheckoutPayments } from './dialog/checkout/place';
import { serializeWithinLimits } from './dialog/limits';
import type { ProgressiveResponder } from './dialog/progressive-response';
import { buildSkill } from './dialog/skill';
import type { TurnTiming } from './dialog/slow-step';
import { hasScreen, type TurnState } from './dialog/turn';
import type { ExperimentSource } from './experiments/cache';
import { gatewayForMode } from './payments/choose-gateway';
import type { PaymentGateway } from './payments/gateway';
import { placeOrder, type SendCheckoutLink } from './payments/place-order';
import { buildTurnEvents } from './recording/build-events';
import { deliverAll, safeRecorder } from './recording/deliver';
import { createSkillMetrics, type SkillMetrics } from './recording/metrics';
import { RejectionTally } from './recording/rejection-tally';
import { rawSlots } from './recording/slots';
import { createUserIdHasher } from './recording/user-ids';
import {
  type AlexaVerificationEnv,
  alexaVerification,
  createAlexaVerifier,
  createCertFetcher,
} from './verification';
import { createStripeWebhookApp } from './webhooks';

export interface SkillVerificationConfig {
  /** Off only for local development: signatures, certificates and timestamps are then not checked. */
  enabled: boolean;
  /** Extra trusted roots (PEM), e.g. the development CA. */
  trustedRootsPem?: readonly string[];
  /** Certificate chains by URL or `<name>.pem`, served instead of downloading them (dev CA). */
  preloadedChains?: Readonly<Record<string, string>>;
  /** A directory of pre-published `<name>.pem` chains (the dev signer's `chainsDir`). */
  preloadedChainsDir?: string;
  now?: () => number;
}

export interface SkillPaymentsConfig {
  /** The server's gateway (PAYMENTS): Stripe or the simulated test mode. */
  gateway: PaymentGateway;
  /**
   * On a Stripe server, the simulated gateway that serves merchants whose payment mode is 'simulated'
   * (they must never be charged through Stripe). Without it their checkouts are refused.
   */
  simulatedGateway?: PaymentGateway;
  /** E-mails a Checkout link when a charge needs the shopper; without it the link only goes to the app card. */
  sendCheckoutLink?: SendCheckoutLink;
  /** Mounts POST /webhooks/stripe when given. */
  webhookSecret?: string;
  /** Our public base URL, for Checkout success and cancel pages (default http://127.0.0.1:3000). */
  publicUrl?: string;
}

export interface SkillAppDeps {
  db: PitchlineDb;
  recordEvent: RecordEvent;
  /** Key of the HMAC that turns Alexa user ids into analytics user ids. */
  userIdHashKey: string;
  logger?: Logger;
  verification: SkillVerificationConfig;
  payments?: SkillPaymentsConfig;
  /** Event timestamps; the simulator replays past days through the real handlers with its own clock. */
  clock?: () => number;
  /** Counters the skill keeps; pass one in to read them (e.g. recordFailures). */
  metrics?: SkillMetrics;
  /** How long a catalog is served from memory before asking whether it changed (default 2 s). */
  catalogCheckIntervalMs?: number;
  /** Running experiments per merchant; by default a short-lived cache over the database. */
  experiments?: ExperimentSource;
  /** Speaks "one moment" while a payment runs (dialog/progressive-response.ts); none: silence. */
  progressive?: ProgressiveResponder;
  /** When the dialog speaks while waiting, and answers without a slow step (dialog/slow-step.ts). */
  turnTiming?: TurnTiming;
  /** Whether this user is new to the merchant; analytics can also derive it from first-seen events. */
  isNewUser?: (merchantId: string, userId: string) => Promise<boolean>;
  /**
   * Where refused requests are counted (one request_rejected row per merchant, reason and minute); by
   * default a tally over recordEvent and the clock. Pass one in to count it elsewhere or flush it.
   */
  rejections?: RejectionTally;
}

/**
 * The skill's HTTP surface, with no listen(): POST /alexa (verified, then dispatched by ask-sdk-core)
 * and the Stripe webhook app at /webhooks/stripe when payments are configured.
 */
export function createSkillApp(deps: SkillAppDeps): Hono {
  const logger = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? createSkillMetrics();
  const clock = deps.clock ?? Date.now;
  const record = safeRecorder(deps.recordEvent, logger, metrics);
  const userIds = createUserIdHasher(deps.userIdHashKey);

  const catalogs = createCatalogCache(
    deps.db,
    deps.catalogCheckIntervalMs === undefined ? {} : { checkIntervalMs: deps.catalogCheckIntervalMs },
  );
  const skillDirectory = createSkillDirectory(deps.db);

  const payments = deps.payments;
  const checkout: CheckoutPayments | undefined = payments && {
    placeOrder: async (input) => {
      // The merchant's payment mode picks the gateway. It comes from the skill directory's cache,
      // which this request's verification has just filled: no query of its own.
      const owner = await skillDirectory.resolve(input.skillId);
      if (!owner || owner.merchantId !== input.merchantId) {
        throw new Error(`skill ${input.skillId} no longer belongs to merchant ${input.merchantId}`);
      }
      const gateway = gatewayForMode(owner.paymentMode, payments);
      return placeOrder(
        {
          db: deps.db,
          gateway,
          // placeOrder awaits this inside its transaction: a failing sink must not roll back an order.
          recordEvent: record,
          sendCheckoutLink:
            payments.sendCheckoutLink ??
            (async ({ order }) =>
              logger.info({ orderId: order.id }, 'no e-mail sender: Checkout link only on the card')),
          publicUrl: payments.publicUrl ?? 'http://127.0.0.1:3000',
          logger,
          now: clock,
        },
        input,
      );
    },
  };

  // Built once: ask-sdk-core's dispatcher is reused by every request.
  const skill = buildSkill({
    db: deps.db,
    logger,
    metrics,
    ...(checkout ? { payments: checkout } : {}),
    ...(deps.experiments ? { experiments: deps.experiments } : {}),
    ...(deps.progressive ? { progressive: deps.progressive } : {}),
    ...(deps.turnTiming ? { turnTiming: deps.turnTiming } : {}),
  });

  const verifier = createAlexaVerifier({
    resolveSkill: (skillId) => skillDirectory.resolve(skillId),
    verify: deps.verification.enabled,
    ...(deps.verification.now ? { now: deps.verification.now } : {}),
    ...(deps.verification.trustedRootsPem ? { extraTrustedRoots: deps.verification.trustedRootsPem } : {}),
    fetcher: createCertFetcher({
      ...(deps.verification.preloadedChains ? { prepublished: deps.verification.preloadedChains } : {}),
      ...(deps.verification.preloadedChainsDir
        ? { prepublishedDir: deps.verification.preloadedChainsDir }
        : {}),
    }),
  });

  // Counted, not recorded per request: a flood of junk writes rows per minute (see rejection-tally.ts).
  const rejections = deps.rejections ?? new RejectionTally({ record, clock });

  const alexa = new Hono<AlexaVerificationEnv>();
  alexa.post(
    '/',
    alexaVerification({
      verifier,
      onRejected: (rejection) => rejections.count(rejection),
    }),
    async (c) => {
      const started = performance.now();
      const envelope = c.get('alexaEnvelope');
      const { merchantId, skillId } = c.get('alexaSkill');
      const turn = newTurnState(envelope, merchantId, skillId, userIds, clock, catalogs);

      let response: ResponseEnvelope;
      try {
        response = await skill.invoke(envelope, turn);
      } catch (err) {
        // Only reachable if the error handler itself failed; Alexa still gets a well-formed answer.
        metrics.dialogErrors++;
        logger.error({ err }, 'skill invoke failed');
        turn.error = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 500);
        response = { version: '1.0', response: {} };
      }
      const limited = serializeWithinLimits(response, metrics, logger);
      response = limited.envelope;

      const newSession = envelope.session?.new === true;
      const newUser =
        newSession && deps.isNewUser
          ? await deps.isNewUser(merchantId, turn.userId).catch(() => false)
          : false;
      const events: PitchlineEvent[] = buildTurnEvents(turn, {
        request: envelope,
        response,
        latencyMs: performance.now() - started,
        newSession,
        newUser,
      });
      // Written before the answer leaves: an event must never describe a response Alexa did not get.
      await deliverAll(record, events);
      // The JSON the limits were measured on (c.json would serialise the envelope a second time).
      return c.body(limited.json, 200, { 'content-type': 'application/json' });
    },
  );

  const app = new Hono();
  app.route('/alexa', alexa);

  // Where Stripe Checkout sends the shopper back; the order itself is settled by the webhook.
  app.get('/pay/success', (c) =>
    c.html(returnPage('Thank you', 'Your payment went through. Alexa will confirm your order shortly.')),
  );
  app.get('/pay/cancel', (c) =>
    c.html(
      returnPage(
        'Payment cancelled',
        'Nothing was charged. You can pay later from the link in the Alexa app.',
      ),
    ),
  );

  if (payments?.webhookSecret) {
    app.route(
      '/webhooks/stripe',
      createStripeWebhookApp({
        db: deps.db,
        stripeWebhookSecret: payments.webhookSecret,
        // Not the forgiving recorder: if the payment event cannot be recorded the webhook must answer
        // 500, so Stripe redelivers it (its event id is deterministic, so the retry cannot count twice).
        recordEvent: deps.recordEvent,
        logger,
      }),
    );
  }
  return app;
}

function newTurnState(
  envelope: RequestEnvelope,
  merchantId: string,
  skillId: string,
  userIds: (alexaUserId: string) => string,
  clock: () => number,
  catalogs: CatalogCache,
): TurnState {
  const request = envelope.request;
  const alexaUserId = envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId ?? 'anonymous';
  let catalog: Promise<Catalog> | undefined;
  return {
    merchantId,
    skillId,
    userId: userIds(alexaUserId),
    // Requests outside a session (e.g. AudioPlayer events) still need a session id for the contract.
    sessionId: (envelope.session?.sessionId ?? `nosession:${request.requestId}`).slice(0, 200),
    locale: ('locale' in request && typeof request.locale === 'string' ? request.locale : 'en-US').slice(
      0,
      20,
    ),
    hasScreen: hasScreen(envelope),
    now: clock,
    catalog: () => {
      // Loaded at most once per request, and only by handlers that need it.
      catalog ??= catalogs.get(merchantId);
      return catalog;
    },
    drafts: [],
    slots: rawSlots(request.type === 'IntentRequest' ? request.intent : undefined),
  };
}

function returnPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${message}</p></body></html>`;
}
