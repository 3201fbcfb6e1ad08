export {
  HANDLED_EVENT_TYPES,
  InvalidStripeEventError,
  type ProcessOutcome,
  processStripeEvent,
  type StripeEventEnvelope,
  UnknownOrderError,
} from './process-stripe-event';
export {
  createStripeWebhookApp,
  STRIPE_SIGNATURE_TOLERANCE_SECONDS,
  STRIPE_WEBHOOK_MAX_BYTES,
  type StripeWebhookDeps,
} from './stripe-webhook';
