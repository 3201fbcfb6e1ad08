import type { EventType } from '@pitchline/core/events';
import { z } from 'zod';
import {
  checkRange,
  dateRangeShape,
  eventTypeSchema,
  FILTER_FIELD_NAMES,
  FILTER_LIMITS,
  FILTER_OPS,
  type Filter,
  type FilterField,
  filterSchema,
} from './params';

/**
 * The funnel definition shared by the funnel, its conversion over time and its drill-down: what a funnel
 * is, not how it is queried (funnel-units.ts builds the SQL). It imports zod and core's browser-safe events subpath only
 * (funnel-spec.test.ts checks), so the dashboard's funnel builder imports it in the browser as
 * `@pitchline/analytics/funnel-spec` instead of restating its lists and bounds.
 *
 * Semantics (the brute-force tests recompute exactly this): a unit is a session or a user. For each step,
 * f_i is the time of the unit's first event matching it, among events from one day before the range to
 * the range's end plus the window. A unit enters when f_1 falls on a local day in the range. It reaches
 * step k when it reached k-1, f_k exists and: ordered, f_{k-1} ≤ f_k; strict, f_{k-1} < f_k; any_order,
 * no order. In every mode the steps reached span at most the window. A unit with any event matching an
 * exclusion step is left out. Breakdowns use the unit's first exposure / product / session start.
 */

export const FUNNEL_MODES = ['ordered', 'strict', 'any_order'] as const;
export type FunnelMode = (typeof FUNNEL_MODES)[number];

export const FUNNEL_UNITS = ['session', 'user'] as const;
export type FunnelUnit = (typeof FUNNEL_UNITS)[number];

export const BREAKDOWNS = ['none', 'variant', 'experiment', 'locale', 'device', 'product'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** The bounds the schema enforces, for forms and links that check a funnel before sending it. */
export const FUNNEL_LIMITS = {
  minSteps: 2,
  maxSteps: 10,
  maxFiltersPerStep: 10,
  maxValuesPerFilter: FILTER_LIMITS.maxValuesPerFilter,
  maxValueLength: FILTER_LIMITS.maxValueLength,
  maxExclusions: 5,
  maxExperimentKeyLength: 100,
  maxWindowSeconds: 90 * 86_400,
} as const;

/** What a funnel left unsaid means. */
export const FUNNEL_DEFAULTS = {
  mode: 'ordered',
  windowSeconds: 86_400,
  unit: 'session',
  breakdown: 'none',
} as const satisfies { mode: FunnelMode; windowSeconds: number; unit: FunnelUnit; breakdown: Breakdown };

export const funnelStepSchema = z.object({
  type: eventTypeSchema,
  filters: z.array(filterSchema).max(FUNNEL_LIMITS.maxFiltersPerStep).default([]),
});
export type FunnelStep = z.infer<typeof funnelStepSchema>;

const funnelObject = z.object({
  ...dateRangeShape,
  steps: z.array(funnelStepSchema).min(FUNNEL_LIMITS.minSteps).max(FUNNEL_LIMITS.maxSteps),
  mode: z.enum(FUNNEL_MODES).default(FUNNEL_DEFAULTS.mode),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(FUNNEL_LIMITS.maxWindowSeconds)
    .default(FUNNEL_DEFAULTS.windowSeconds),
  unit: z.enum(FUNNEL_UNITS).default(FUNNEL_DEFAULTS.unit),
  exclusions: z.array(funnelStepSchema).max(FUNNEL_LIMITS.maxExclusions).default([]),
  breakdown: z.enum(BREAKDOWNS).default(FUNNEL_DEFAULTS.breakdown),
  /** With breakdown 'variant': the experiment whose variants split the funnel. */
  experimentKey: z.string().min(1).max(FUNNEL_LIMITS.maxExperimentKeyLength).optional(),
  /** 'events' forces the raw-event path (the rollup is used when it can answer). */
  source: z.enum(['auto', 'events']).default('auto'),
});

export const funnelSpecSchema = funnelObject.superRefine(checkRange);
export type FunnelSpec = z.infer<typeof funnelSpecSchema>;
export type FunnelInput = z.input<typeof funnelSpecSchema>;

/** Each event type as a funnel step reads to a person ("Heard a pitch", not `pitch_exposure`). */
export const FUNNEL_STEP_NAMES = {
  session_start: 'Started a session',
  turn: 'Spoke to Alexa',
  pitch_exposure: 'Heard a pitch',
  cart_add: 'Added to cart',
  cart_remove: 'Removed from cart',
  checkout_prompt: 'Started checkout',
  order_confirmed: 'Placed an order',
  order_declined: 'Declined the order',
  payment_succeeded: 'Paid',
  payment_failed: 'Payment failed',
  payment_action_required: 'Payment needs an action',
  payment_mismatch: 'Payment needs review',
  refund: 'Refunded',
  session_end: 'Ended the session',
  request_rejected: 'Request refused',
  progressive_response: 'Heard "one moment" while waiting',
} as const satisfies Record<EventType, string>;

/** The voice sales funnel the dashboard opens with. */
export const DEFAULT_FUNNEL_STEP_TYPES = [
  'session_start',
  'pitch_exposure',
  'cart_add',
  'order_confirmed',
  'payment_succeeded',
] as const satisfies readonly EventType[];

export const DEFAULT_FUNNEL_STEPS: FunnelStep[] = DEFAULT_FUNNEL_STEP_TYPES.map((type) => ({
  type,
  filters: [],
}));

/** A step's filters are part of the spec: the fields, operators and types a step may use. */
export { FILTER_FIELD_NAMES, FILTER_OPS, type Filter, type FilterField };
