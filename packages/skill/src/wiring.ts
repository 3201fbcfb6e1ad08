import { readFile } from 'node:fs/promises';
import type { Logger, RecordEvent } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import { Hono } from 'hono';
import { Counter, Gauge, type Registry } from 'prom-client';
import { createSkillApp } from './app';
import { createProgressiveResponder } from './dialog/progressive-response';
import { createPaymentGateway, newSimulatedWebhookSecret } from './payments/create-gateway';
import { createSimulatedCheckoutApp } from './payments/simulated-checkout-page';
import { SimulatedGateway } from './payments/simulated-gateway';
import { createSkillMetrics, type SkillMetrics } from './recording/metrics';
import { RejectionTally } from './recording/rejection-tally';
import { loadOrCreateUserIdHashKey } from './user-id-hash-key';

/**
 * What the skill needs from a deployable's validated environment (see @pitchline/runtime/env: its
 * process and skill shapes produce exactly this).
 */
export type SkillConfig = {
  NODE_ENV: 'development' | 'production' | 'test';
  dataDir: string;
  ALEXA_VERIFY: boolean;
  ALEXA_TRUSTED_ROOTS_FILE?: string | undefined;
  /** Trust the development CA (and read its chains from DATA_DIR) so our own tools' signed requests pass. */
  alexaDevCa: boolean;
  USER_ID_HASH_KEY?: string | undefined;
  PAYMENTS: 'simulated' | 'stripe';
  STRIPE_SECRET_KEY?: string | undefined;
  STRIPE_WEBHOOK_SECRET?: string | undefined;
};

/** USER_ID_HASH_KEY, or in embedded mode the key kept under DATA_DIR (made on first use). */
export async function resolveUserIdHashKey(
  config: Pick<SkillConfig, 'USER_ID_HASH_KEY' | 'dataDir'>,
): Promise<string> {
  return config.USER_ID_HASH_KEY ?? (await loadOrCreateUserIdHashKey(config.dataDir));
}

/**
 * Turns the validated environment into the skill app: request verification (with the development CA
 * outside production), payments (Stripe or the simulated test mode) and the Stripe webhook endpoint.
 */
export async function createSkillFromConfig(opts: {
  config: SkillConfig;
  db: PitchlineDb;
  recordEvent: RecordEvent;
  logger: Logger;
  /** Where refused requests are counted (see createRejectionTally); flush it at shutdown. */
  rejections: RejectionTally;
  registry: Registry;
  /** Our own base URL, for Checkout return pages and simulated payment links. */
  publicUrl: string;
}): Promise<Hono> {
  const { config, logger } = opts;
  const userIdHashKey = await resolveUserIdHashKey(config);

  const trustedRootsPem: string[] = [];
  if (config.ALEXA_TRUSTED_ROOTS_FILE)
    trustedRootsPem.push(await readFile(config.ALEXA_TRUSTED_ROOTS_FILE, 'utf8'));
  let preloadedChainsDir: string | undefined;
  if (config.alexaDevCa) {
    // Loaded only when enabled: production never imports the certificate-making library.
    const { devCaDir, loadOrCreateDevSigner } = await import('@pitchline/alexa-kit/dev-ca');
    const devSigner = await loadOrCreateDevSigner(devCaDir(config.dataDir));
    trustedRootsPem.push(devSigner.ca.certPem);
    preloadedChainsDir = devSigner.chainsDir;
    logger.warn({ caCertPath: devSigner.caCertPath }, 'trusting the development CA for Alexa requests');
  }
  if (!config.ALEXA_VERIFY) logger.warn({}, 'ALEXA_VERIFY=false: Alexa request signatures are NOT checked');

  // Simulated mode signs webhooks and delivers them to our own endpoint, in process, through the same
  // verification and processing code Stripe's deliveries take.
  const webhookSecret =
    config.PAYMENTS === 'stripe' ? (config.STRIPE_WEBHOOK_SECRET as string) : newSimulatedWebhookSecret();
  let app: Hono | undefined;
  const deliver = async (rawBody: string, signature: string) => {
    if (!app) throw new Error('skill app not built yet');
    const res = await app.request('/webhooks/stripe', {
      method: 'POST',
      body: rawBody,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
    return { status: res.status };
  };
  const gateway = createPaymentGateway(
    config.PAYMENTS === 'stripe'
      ? { mode: 'stripe', secretKey: config.STRIPE_SECRET_KEY as string }
      : { mode: 'simulated', webhookSecret, publicUrl: opts.publicUrl, logger, deliver },
  );
  // Merchants whose payment mode is 'simulated' are never charged through Stripe, also on a Stripe
  // server: the simulation serves them, signing with the endpoint's own secret so the one webhook app
  // verifies both (the signature never leaves the process).
  // Never in production: there a simulated "payment" would ship goods for free, and a public
  // /pay/simulated page beside real Stripe money is an attack surface for no benefit. A merchant left in
  // simulated mode on a production server is refused at checkout (the shopper hears an apology, nothing
  // is ordered) and named in a warning at start, so the owner switches it in Settings.
  const simulatedGateway =
    gateway instanceof SimulatedGateway
      ? gateway
      : config.NODE_ENV === 'production'
        ? undefined
        : new SimulatedGateway({ webhookSecret, publicUrl: opts.publicUrl, logger, deliver });

  const metrics = createSkillMetrics();
  exposeSkillMetrics(metrics, opts.registry);

  const skill = createSkillApp({
    db: opts.db,
    recordEvent: opts.recordEvent,
    userIdHashKey,
    logger,
    metrics,
    verification: {
      enabled: config.ALEXA_VERIFY,
      trustedRootsPem,
      ...(preloadedChainsDir ? { preloadedChainsDir } : {}),
    },
    payments: { gateway, simulatedGateway, webhookSecret, publicUrl: opts.publicUrl },
    rejections: opts.rejections,
    // In production Amazon's API token goes to Amazon's endpoints only; elsewhere to the local fakes too.
    progressive: createProgressiveResponder({
      endpoints: config.NODE_ENV === 'production' ? 'amazon' : 'any',
    }),
  });

  app = new Hono();
  app.route('/', skill);
  if (simulatedGateway)
    app.route('/pay/simulated', createSimulatedCheckoutApp({ gateway: simulatedGateway }));
  return app;
}

function exposeSkillMetrics(metrics: SkillMetrics, registry: Registry): void {
  const counters: [keyof SkillMetrics, string][] = [
    ['recordFailures', 'Events the skill could not record; the shopper still got an answer'],
    ['invalidEvents', 'Events the skill built that failed the event contract (never sent)'],
    ['dialogErrors', 'Turns answered by the dialog error handler'],
    ['responsesTrimmed', "Responses cut down to fit Alexa's size limits"],
    [
      'pitchRenderFailures',
      'Pitch variants that would not render for a product (left out there, no exposure)',
    ],
  ];
  for (const [key, help] of counters) {
    const name = `pitchline_skill_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(metrics[key]);
      },
    });
  }
}

/**
 * The tally of refused Alexa requests a deployable owns: one request_rejected row per merchant, reason
 * and minute through `recordEvent`, and the Prometheus counter pitchline_alexa_requests_rejected_total
 * per merchant and reason. The deployable flushes it at shutdown, so the last minute is not lost.
 */
export function createRejectionTally(opts: {
  recordEvent: RecordEvent;
  logger: Logger;
  registry: Registry;
}): RejectionTally {
  const rejected = new Counter({
    name: 'pitchline_alexa_requests_rejected_total',
    help: 'Alexa requests refused before any dialog (unsigned, forged, stale, unknown skill), per merchant and reason',
    labelNames: ['merchant_id', 'reason'],
    registers: [opts.registry],
  });
  return new RejectionTally({
    record: async (event) => {
      try {
        await opts.recordEvent(event);
      } catch (err) {
        // The counter above still has them; only this minute's analytics row is lost.
        opts.logger.error({ err, reason: event.type }, 'could not record refused Alexa requests');
      }
    },
    clock: Date.now,
    onCount: (merchantId, reason) => rejected.inc({ merchant_id: merchantId, reason }),
  });
}
