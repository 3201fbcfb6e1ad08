import { z } from 'zod';
import { currencySchema, minorUnitsSchema } from './money';

/**
 * The event contract between the skill, analytics and the dashboard (see shared/ARCHITECTURE.md).
 * One immutable row per thing that happened; every row carries the base fields, and the fields its
 * type needs. The ClickHouse table is the flat union of these shapes (packages/analytics maps it).
 */

const id = z.string().min(1).max(200);
const uuid = z.uuid();
const shortText = z.string().max(500);
/** Speech and card text are bounded by Alexa's limits (8,000 characters of SSML, 24 KB responses). */
const ssml = z.string().max(24_000);

export const baseEventSchema = z.object({
  event_id: uuid,
  /** Milliseconds since the Unix epoch, UTC. */
  ts: z.number().int().min(0),
  merchant_id: uuid,
  skill_id: id,
  /** A keyed hash of the Alexa userId (core/ids.ts hashUserId), never the raw id. */
  user_id: id,
  session_id: id,
});

export const slotResolutionSchema = z.enum(['match', 'no_match', 'none']);

export const slotSchema = z.object({
  name: z.string().max(100),
  /** What the shopper said, as Alexa heard it. */
  value: shortText,
  /** The catalog entry entity resolution matched, if any. */
  resolved_id: shortText.optional(),
  resolved_value: shortText.optional(),
  resolution: slotResolutionSchema,
});

export const deviceSchema = z.object({
  locale: z.string().max(20),
  has_screen: z.boolean(),
});

const moneyFields = { amount: minorUnitsSchema, currency: currencySchema };

/** `expKey:variantKey` pairs of the pitches a shopper heard, carried onto orders and payments. */
const attribution = z.array(z.string().max(200)).max(50);

export const sessionStartSchema = baseEventSchema.extend({
  type: z.literal('session_start'),
  ...deviceSchema.shape,
  new_user: z.boolean(),
});

export const turnSchema = baseEventSchema.extend({
  type: z.literal('turn'),
  ...deviceSchema.shape,
  request_id: id,
  request_type: z.string().max(100),
  intent: z.string().max(100).optional(),
  slots: z.array(slotSchema).max(50),
  dialog_state: z.string().max(50).optional(),
  response_ssml: ssml,
  reprompt_ssml: ssml.optional(),
  should_end_session: z.boolean(),
  latency_ms: z.number().min(0),
  error: shortText.optional(),
});

export const pitchExposureSchema = baseEventSchema.extend({
  type: z.literal('pitch_exposure'),
  experiment_id: uuid,
  experiment_key: z.string().max(100),
  variant_key: z.string().max(100),
  /** The probability this user had of hearing this variant; inverse-propensity weights need it. */
  assignment_probability: z.number().gt(0).max(1),
  product_id: uuid.optional(),
});

export const cartChangeSchema = z.object({
  product_id: uuid,
  quantity: z.number().int().min(1).max(1000),
  unit_amount: minorUnitsSchema,
  currency: currencySchema,
});

export const cartAddSchema = baseEventSchema.extend({
  type: z.literal('cart_add'),
  ...cartChangeSchema.shape,
});
export const cartRemoveSchema = baseEventSchema.extend({
  type: z.literal('cart_remove'),
  ...cartChangeSchema.shape,
});

export const checkoutPromptSchema = baseEventSchema.extend({
  type: z.literal('checkout_prompt'),
  ...moneyFields,
  item_count: z.number().int().min(0),
});

const orderFields = { order_id: uuid, ...moneyFields, variants: attribution };

export const orderConfirmedSchema = baseEventSchema.extend({
  type: z.literal('order_confirmed'),
  ...orderFields,
});
export const orderDeclinedSchema = baseEventSchema.extend({
  type: z.literal('order_declined'),
  ...orderFields,
});

const paymentFields = { ...orderFields, payment_intent_id: z.string().max(200).optional() };

export const paymentSucceededSchema = baseEventSchema.extend({
  type: z.literal('payment_succeeded'),
  ...paymentFields,
});
export const paymentFailedSchema = baseEventSchema.extend({
  type: z.literal('payment_failed'),
  ...paymentFields,
  failure_code: z.string().max(100).optional(),
});
export const paymentActionRequiredSchema = baseEventSchema.extend({
  type: z.literal('payment_action_required'),
  ...paymentFields,
});
/**
 * A payment that succeeded for another amount or currency than its order's: the order waits for review
 * (status payment_review) and is not revenue. `amount`/`currency` are what was received.
 */
export const paymentMismatchSchema = baseEventSchema.extend({
  type: z.literal('payment_mismatch'),
  ...paymentFields,
  expected_amount: minorUnitsSchema,
  expected_currency: currencySchema,
});
export const refundSchema = baseEventSchema.extend({
  type: z.literal('refund'),
  ...orderFields,
  refund_id: z.string().max(200).optional(),
});

export const sessionEndReasonSchema = z.enum([
  'user_stop',
  'user_initiated',
  'exceeded_max_reprompts',
  'error',
  'completed',
  'unknown',
]);

export const sessionEndSchema = baseEventSchema.extend({
  type: z.literal('session_end'),
  reason: sessionEndReasonSchema,
  /** The SSML Alexa spoke last before the session ended: the exit point. */
  last_prompt: ssml.optional(),
});

/**
 * Requests refused before any dialog. One row stands for `count` requests of one merchant and reason
 * within one minute (ts is the minute's start), so a flood writes rows per minute, not per request.
 * Without `count` it is one request (rows recorded before aggregation).
 */
export const requestRejectedSchema = baseEventSchema.extend({
  type: z.literal('request_rejected'),
  reason: z.string().max(100),
  detail: shortText.optional(),
  count: z.number().int().min(1).max(4_000_000_000).optional(),
});

/**
 * Alexa's progressive response: something said through the directive API while a slow step (a payment)
 * runs, so the shopper is not left in silence. `latency_ms` is when it went out after the step began;
 * `reason` says whether Alexa took it ('sent') or not ('failed'), `detail` why not.
 */
export const progressiveResponseSchema = baseEventSchema.extend({
  type: z.literal('progressive_response'),
  request_id: id,
  latency_ms: z.number().min(0),
  reason: z.enum(['sent', 'failed']),
  detail: shortText.optional(),
});

export const eventSchema = z.discriminatedUnion('type', [
  sessionStartSchema,
  turnSchema,
  pitchExposureSchema,
  cartAddSchema,
  cartRemoveSchema,
  checkoutPromptSchema,
  orderConfirmedSchema,
  orderDeclinedSchema,
  paymentSucceededSchema,
  paymentFailedSchema,
  paymentActionRequiredSchema,
  paymentMismatchSchema,
  refundSchema,
  sessionEndSchema,
  requestRejectedSchema,
  progressiveResponseSchema,
]);

export type PitchlineEvent = z.infer<typeof eventSchema>;
export type EventType = PitchlineEvent['type'];
export type EventOf<T extends EventType> = Extract<PitchlineEvent, { type: T }>;
export const EVENT_TYPES = eventSchema.options.map((o) => o.shape.type.value) as EventType[];

/** Validates an event, throwing an error that names every bad field. */
export function parseEvent(input: unknown): PitchlineEvent {
  const result = eventSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidEventError(z.prettifyError(result.error));
  }
  return result.data;
}

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}
