import type { Logger, RecordEvent } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import Stripe from 'stripe';
import {
  InvalidStripeEventError,
  processStripeEvent,
  stripeEventSchema,
  UnknownOrderError,
} from './process-stripe-event';

/** Stripe events are a few KB; anything this large is not from Stripe. */
export const STRIPE_WEBHOOK_MAX_BYTES = 256 * 1024;
/** Stripe's own default: a replayed capture older than this is refused. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface StripeWebhookDeps {
  db: PitchlineDb;
  stripeWebhookSecret: string;
  recordEvent: RecordEvent;
  logger: Logger;
  /** The clock signatures are dated against; the system clock by default. */
  now?: () => number;
}

/**
 * Whether the signature header is dated too far ahead. The SDK bounds only a signature's age, so a
 * captured signature dated in the future would stay replayable until that date; ours refuses it. A
 * header with more than one `t=` is refused too: the SDK reads the last, and no sender needs two.
 */
export function signatureFromTheFuture(header: string, nowMs: number): boolean {
  const stamps = header
    .split(',')
    .map((item) => item.trim().split('='))
    .filter(([key]) => key === 't')
    .map(([, value]) => Number(value));
  if (stamps.length !== 1) return stamps.length > 1;
  const [stamp] = stamps;
  return (
    stamp !== undefined && Number.isFinite(stamp) && stamp - nowMs / 1000 > STRIPE_SIGNATURE_TOLERANCE_SECONDS
  );
}

/**
 * POST / : Stripe's webhook endpoint (mounted at /webhooks/stripe). The signature is checked on the
 * raw bytes before anything is parsed; 2xx tells Stripe to stop retrying, so it is sent only after
 * the order update and the analytics event are safe (see process-stripe-event.ts).
 */
export function createStripeWebhookApp(deps: StripeWebhookDeps): Hono {
  const app = new Hono();
  app.post(
    '/',
    bodyLimit({
      maxSize: STRIPE_WEBHOOK_MAX_BYTES,
      onError: (c) => c.json({ error: 'payload_too_large' }, 413),
    }),
    async (c) => {
      const signature = c.req.header('stripe-signature');
      if (!signature) return c.json({ error: 'missing_signature' }, 400);
      if (signatureFromTheFuture(signature, (deps.now ?? Date.now)())) {
        deps.logger.warn(
          { signature: signature.slice(0, 40) },
          'stripe webhook signature dated in the future refused',
        );
        return c.json({ error: 'invalid_signature' }, 400);
      }
      // Stripe always sends JSON. A correctly signed body posted as a form or text (a replayed capture
      // from a browser, say) is someone else's client: refused before it is read, as /alexa does.
      const contentType = c.req.header('content-type');
      if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
        return c.json({ error: 'unsupported_media_type' }, 415);
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());

      let verified: unknown;
      try {
        verified = Stripe.webhooks.constructEvent(
          raw,
          signature,
          deps.stripeWebhookSecret,
          STRIPE_SIGNATURE_TOLERANCE_SECONDS,
        );
      } catch (err) {
        // constructEvent verifies, then parses: only that parse throws a SyntaxError. The signature held
        // but the body is not JSON: Stripe never sends that.
        if (err instanceof SyntaxError) {
          deps.logger.warn({ err }, 'stripe webhook body is not JSON');
          return c.json({ error: 'malformed_payload' }, 400);
        }
        // Anything else is a signature that did not hold. Not only StripeSignatureVerificationError: on
        // some malformed headers ("v1=" with nothing after it, a non-ASCII signature) the SDK throws a
        // plain Error or a RangeError before comparing (found by stripe-webhook.fuzz.test.ts).
        deps.logger.warn(
          { reason: (err as Error).message?.split('\n')[0] },
          'stripe webhook signature refused',
        );
        return c.json({ error: 'invalid_signature' }, 400);
      }

      const envelope = stripeEventSchema.safeParse(verified);
      if (!envelope.success) return c.json({ error: 'malformed_event' }, 400);
      const event = envelope.data;

      try {
        const result = await processStripeEvent(deps, event);
        deps.logger.info({ eventId: event.id, type: event.type, ...result }, 'stripe webhook');
        return c.json({ received: true, ...result }, 200);
      } catch (err) {
        if (err instanceof UnknownOrderError) {
          deps.logger.warn({ eventId: event.id, type: event.type }, err.message);
          return c.json({ error: 'unknown_order' }, 404);
        }
        if (err instanceof InvalidStripeEventError) {
          deps.logger.warn({ eventId: event.id, type: event.type }, err.message);
          return c.json({ error: 'malformed_event' }, 400);
        }
        // A database or recording failure: 500 makes Stripe retry, which is what we want.
        deps.logger.error({ eventId: event.id, type: event.type, err }, 'stripe webhook failed');
        return c.json({ error: 'internal_error' }, 500);
      }
    },
  );
  return app;
}
