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

export const SESSION_DAY = 'session_start' as const;
export const EVENT_DAY = 'event' as const;
export const SESSION_VARIANT = 'The first pitch variant heard in the session.';
export const NO_WINDOW = 'None: the session itself.';
export const FUNNEL_WINDOW =
  'Within the funnel window after the session started (24 hours unless the funnel says otherwise).';
