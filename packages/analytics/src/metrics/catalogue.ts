/*
 * The metric catalogue, assembled: every figure the dashboard shows, defined once (the definitions live
 * by area under definitions/, what a definition holds and how figures are attributed to days is in
 * metric-definition.ts). Browser-safe (no imports outside this folder), published as
 * `@pitchline/analytics/metrics`.
 */
import { experimentMetrics } from './definitions/experiments';
import { shopMetrics } from './definitions/shop';
import { voiceMetrics } from './definitions/voice';
import type { MetricDefinition } from './metric-definition';

export { METRIC_DIFFERENCES } from './differences';
export { END_REASON_LABELS, INTENT_LABELS, intentLabel } from './labels';
export type { DayAttribution, MetricDefinition, MetricUnit } from './metric-definition';

const metrics = [...shopMetrics, ...voiceMetrics, ...experimentMetrics] as const;

export type MetricId = (typeof metrics)[number]['id'];

export const METRICS: Readonly<Record<MetricId, MetricDefinition>> = Object.fromEntries(
  metrics.map((m) => [m.id, m]),
) as Record<MetricId, MetricDefinition>;

export const METRIC_IDS = metrics.map((m) => m.id) as readonly MetricId[];

export function isMetricId(value: string): value is MetricId {
  return Object.hasOwn(METRICS, value);
}

/** A figure as the API sends it: the value and the metric that defines it. */
export interface Figure<Id extends MetricId = MetricId> {
  metric: Id;
  /** null when it is undefined (a ratio with nothing to divide by); `reason` says why. Never NaN/Infinity. */
  value: number | null;
  /** Why the value is null, in words a page shows ("no sessions in the range"). */
  reason?: string;
  /** A money figure's ISO currency (its value is in that currency's minor units). */
  currency?: string;
}
