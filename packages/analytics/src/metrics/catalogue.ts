/*
 * The metric catalogue: every figure the dashboard shows, defined once. Queries compute these
 * definitions (the reconciliation tests recompute each from the raw events and the orders table), the
 * API returns each figure with its metric id, and the dashboard shows the definition beside the figure
 * ("how is this calculated") from this same text. Browser-safe (no imports), published as
 * `@pitchline/analytics/metrics`.
 *
 * Three ways a figure is attributed to a day, always in the merchant's time zone:
 * - session start: a session and everything that happens in it count on the local day it started, so a
 *   session that runs past midnight, or is paid for later, stays one session of one day;
 * - event: money and turns count on the local day they happened, as a bank statement would, so revenue
 *   reconciles with the orders table by payment and refund time;
 * - first exposure: an experiment counts a shopper from the first time they heard one of its pitches.
 * Two figures attributed differently have different names, and the pages say why they differ
 * (METRIC_DIFFERENCES).
 */

export type MetricUnit = 'count' | 'money' | 'ratio' | 'milliseconds' | 'turns';
export type DayAttribution = 'session_start' | 'event' | 'first_exposure';

export interface MetricDefinition {
  /** Stable id the API sends with every figure. */
  id: string;
  /** The label a page shows. */
  name: string;
  /** One sentence, in plain words. */
  definition: string;
  unit: MetricUnit;
  /** The events (and tables) it is computed from. */
  source: string;
  dayAttribution: DayAttribution;
  /** How a session or shopper is attributed to a pitch variant when a page breaks the figure down by one. */
  variant: string;
  /** The time a conversion may take to count, when there is one. */
  window: string;
}

const SESSION_DAY = 'session_start' as const;
const EVENT_DAY = 'event' as const;
const SESSION_VARIANT = 'The first pitch variant heard in the session.';
const NO_WINDOW = 'None: the session itself.';
const FUNNEL_WINDOW =
  'Within the funnel window after the session started (24 hours unless the funnel says otherwise).';

const metrics = [
  {
    id: 'sessions',
    name: 'Sessions',
    definition: 'Voice sessions that started in the range; a session counts once, on the day it started.',
    unit: 'count',
    source: 'session_start events (one per session, recorded with its first request).',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'shoppers',
    name: 'Shoppers',
    definition: 'Different Alexa accounts that started at least one session in the range.',
    unit: 'count',
    source: 'session_start events, distinct hashed Alexa user ids.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'pitched_sessions',
    name: 'Heard a pitch',
    definition: 'Sessions in which the shopper heard at least one sales pitch.',
    unit: 'count',
    source: 'pitch_exposure events of the sessions counted in Sessions.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'cart_sessions',
    name: 'Added to cart',
    definition: 'Sessions in which the shopper put at least one product in the cart.',
    unit: 'count',
    source: 'cart_add events of the sessions counted in Sessions.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'ordered_sessions',
    name: 'Placed an order',
    definition: 'Sessions in which the shopper confirmed an order at the read-back.',
    unit: 'count',
    source: 'order_confirmed events of the sessions counted in Sessions.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'paid_sessions',
    name: 'Paid',
    definition: 'Sessions whose order was paid, whenever the payment was confirmed within the window.',
    unit: 'count',
    source: 'payment_succeeded events of the sessions counted in Sessions.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'paid_conversion',
    name: 'Conversion',
    definition: 'Paid sessions as a share of all sessions, whether or not the shopper heard a pitch.',
    unit: 'ratio',
    source: 'Paid ÷ Sessions.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'exposed_shoppers',
    name: 'Shoppers who heard a pitch',
    definition: 'Different Alexa accounts that heard at least one sales pitch in the range.',
    unit: 'count',
    source: 'pitch_exposure events, distinct hashed Alexa user ids, on the day heard.',
    dayAttribution: EVENT_DAY,
    variant: 'Every variant the shopper heard in the range.',
    window: NO_WINDOW,
  },
  {
    id: 'orders_placed',
    name: 'Orders placed',
    definition: 'Orders shoppers confirmed in the range, paid or not, on the day they were placed.',
    unit: 'count',
    source: 'order_confirmed events.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'paid_orders',
    name: 'Paid orders',
    definition: 'Orders whose payment was confirmed in the range, on the day the money was taken.',
    unit: 'count',
    source: 'payment_succeeded events (one per order); reconciles with paid orders in the orders table.',
    dayAttribution: EVENT_DAY,
    variant: 'The first pitch variant heard in the session the order was placed in.',
    window: NO_WINDOW,
  },
  {
    id: 'gross_revenue',
    name: 'Gross revenue',
    definition: 'Money taken for paid orders in the range, before refunds.',
    unit: 'money',
    source: 'payment_succeeded amounts in minor units; equals the orders table’s paid totals to the cent.',
    dayAttribution: EVENT_DAY,
    variant: 'The first pitch variant heard in the session the order was placed in.',
    window: NO_WINDOW,
  },
  {
    id: 'refunds',
    name: 'Refunds',
    definition: 'Money given back in the range, on the day it was refunded, whenever the order was paid.',
    unit: 'money',
    source: 'refund amounts in minor units; equals the orders table’s refunded totals to the cent.',
    dayAttribution: EVENT_DAY,
    variant: 'The first pitch variant heard in the session the order was placed in.',
    window: NO_WINDOW,
  },
  {
    id: 'net_revenue',
    name: 'Revenue',
    definition: 'Gross revenue minus refunds, both on the day the money moved.',
    unit: 'money',
    source: 'Gross revenue − Refunds.',
    dayAttribution: EVENT_DAY,
    variant: 'The first pitch variant heard in the session the order was placed in.',
    window: NO_WINDOW,
  },
  {
    id: 'average_order_value',
    name: 'Average order value',
    definition: 'Gross revenue divided by paid orders.',
    unit: 'money',
    source: 'Gross revenue ÷ Paid orders.',
    dayAttribution: EVENT_DAY,
    variant: 'The first pitch variant heard in the session the order was placed in.',
    window: NO_WINDOW,
  },
  {
    id: 'revenue_per_session',
    name: 'Revenue per session',
    definition: 'Revenue divided by sessions in the same range.',
    unit: 'money',
    source: 'Revenue ÷ Sessions.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'revenue_per_exposed_shopper',
    name: 'Revenue per shopper who heard a pitch',
    definition: 'Revenue divided by the shoppers who heard a pitch in the same range.',
    unit: 'money',
    source: 'Revenue ÷ Shoppers who heard a pitch.',
    dayAttribution: EVENT_DAY,
    variant: 'Every variant the shopper heard in the range.',
    window: NO_WINDOW,
  },
  {
    id: 'turns',
    name: 'Requests',
    definition: 'Requests Alexa sent the skill in the range (one per thing the shopper said or did).',
    unit: 'count',
    source: 'turn events.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'fallback_rate',
    name: 'Not understood',
    definition: 'Share of requests Alexa could not match to anything the skill offers.',
    unit: 'ratio',
    source: 'turn events whose intent is AMAZON.FallbackIntent ÷ Requests.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'sessions_with_fallback',
    name: 'Sessions with a misunderstanding',
    definition: 'Sessions in which at least one request was not understood.',
    unit: 'count',
    source: 'Sessions with a turn whose intent is AMAZON.FallbackIntent.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'unhandled_rate',
    name: 'Errors',
    definition: 'Share of requests the skill answered with its error apology.',
    unit: 'ratio',
    source: 'turn events that recorded an error ÷ Requests.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'latency_p50',
    name: 'Response time (median)',
    definition: 'Half of the skill’s answers took less than this, from request received to answer sent.',
    unit: 'milliseconds',
    source: 'turn events’ latency.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'latency_p90',
    name: 'Response time (90th percentile)',
    definition: '9 in 10 answers took less than this; Alexa gives up after 8 seconds.',
    unit: 'milliseconds',
    source: 'turn events’ latency.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'latency_p99',
    name: 'Response time (99th percentile)',
    definition: '99 in 100 answers took less than this.',
    unit: 'milliseconds',
    source: 'turn events’ latency.',
    dayAttribution: EVENT_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'turns_to_purchase',
    name: 'Turns to purchase (median)',
    definition:
      'How many requests a session took until its first order was confirmed, for sessions that ordered.',
    unit: 'turns',
    source: 'turn and order_confirmed events of the sessions counted in Placed an order.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'time_to_yes',
    name: 'Time to yes (median)',
    definition:
      'How long a session took from its start until the shopper confirmed an order, for sessions that ordered.',
    unit: 'milliseconds',
    source: 'session_start and the first order_confirmed of the sessions counted in Placed an order.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: FUNNEL_WINDOW,
  },
  {
    id: 'session_end_share',
    name: 'How sessions ended',
    definition: 'Share of sessions that ended each way (the shopper stopped, stayed silent, finished …).',
    unit: 'ratio',
    source:
      'session_end events of the sessions counted in Sessions; sessions without one are “no end recorded”.',
    dayAttribution: SESSION_DAY,
    variant: SESSION_VARIANT,
    window: NO_WINDOW,
  },
  {
    id: 'rejected_requests',
    name: 'Rejected requests',
    definition: 'Requests refused before the skill saw them (bad signature, stale timestamp, unknown skill).',
    unit: 'count',
    source:
      'request_rejected rows (one per merchant, reason and minute), summed by the requests each counts.',
    dayAttribution: EVENT_DAY,
    variant: 'None: a rejected request belongs to no session.',
    window: NO_WINDOW,
  },
  {
    id: 'experiment_shoppers',
    name: 'Shoppers in the test',
    definition: 'Different shoppers who heard one of the experiment’s pitches while it ran.',
    unit: 'count',
    source: 'pitch_exposure events of the experiment, first exposure per shopper.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window: 'From the experiment’s start to its end (or now).',
  },
  {
    id: 'experiment_conversion',
    name: 'Bought within the window',
    definition:
      'Share of the variant’s shoppers who paid for an order within the conversion window after first hearing it.',
    unit: 'ratio',
    source: 'payment_succeeded events of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_revenue_per_shopper',
    name: 'Revenue per shopper in the test',
    definition:
      'Money the variant’s shoppers paid within the conversion window, net of refunds, per shopper.',
    unit: 'money',
    source: 'payment_succeeded and refund amounts of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
] as const satisfies readonly MetricDefinition[];

export type MetricId = (typeof metrics)[number]['id'];

export const METRICS: Readonly<Record<MetricId, MetricDefinition>> = Object.fromEntries(
  metrics.map((m) => [m.id, m]),
) as Record<MetricId, MetricDefinition>;

export const METRIC_IDS = metrics.map((m) => m.id) as readonly MetricId[];

export function isMetricId(value: string): value is MetricId {
  return Object.hasOwn(METRICS, value);
}

/**
 * Figures that look alike but differ by design, with the one sentence a page shows where both can be
 * seen. A page that shows one of a pair near the other links this sentence.
 */
export const METRIC_DIFFERENCES = [
  {
    metrics: ['paid_sessions', 'paid_orders'],
    sentence:
      'Paid counts sessions on the day they started; Paid orders counts payments on the day the money was taken, so a session paid for after midnight is in one day’s Paid and the next day’s Paid orders.',
  },
  {
    metrics: ['orders_placed', 'paid_orders'],
    sentence:
      'Orders placed includes orders whose payment failed or is still pending; Paid orders only those paid.',
  },
  {
    metrics: ['net_revenue', 'experiment_revenue_per_shopper'],
    sentence:
      'The revenue pages count every payment on the day it was taken and credit it to the first pitch heard in its session; experiment results count each shopper once, in the variant they were assigned, and only what they paid within the conversion window after first hearing it.',
  },
  {
    metrics: ['paid_conversion', 'experiment_conversion'],
    sentence:
      'Conversion is per session; an experiment’s conversion is per shopper, counting any session within the window after they first heard the pitch.',
  },
  {
    metrics: ['exposed_shoppers', 'experiment_shoppers'],
    sentence:
      'Shoppers who heard a pitch counts anyone who heard any pitch in the range; an experiment counts only its own shoppers, from its start.',
  },
] as const satisfies readonly { metrics: readonly [MetricId, MetricId]; sentence: string }[];

/** A figure as the API sends it: the value and the metric that defines it. */
export interface Figure<Id extends MetricId = MetricId> {
  metric: Id;
  /** null when it is undefined (a ratio with nothing to divide by); the page says why. */
  value: number | null;
}
