import { isMetricId, METRIC_DIFFERENCES, METRICS, type MetricId } from '@pitchline/analytics/metrics';

export { isMetricId, METRICS, type MetricId };

/** A figure as the API sends it (issue 12): the value, its metric, and why it is missing when it is. */
export type ApiFigure = { metric: string; value: number | null; reason?: string };

/**
 * A response's figure for a metric, when the response carries `figures` (the API adds them beside the
 * fields pages read today); undefined otherwise, and the page falls back to its own field.
 */
export function figureOf(data: object | null | undefined, metric: MetricId): ApiFigure | undefined {
  if (!data || !('figures' in data)) return undefined;
  const figures = (data as { figures?: unknown }).figures;
  if (!figures || typeof figures !== 'object') return undefined;
  const f = (figures as Record<string, unknown>)[metric];
  if (!f || typeof f !== 'object' || !('value' in f)) return undefined;
  const { value, reason } = f as { value: unknown; reason?: unknown };
  return {
    metric,
    value: typeof value === 'number' && Number.isFinite(value) ? value : null,
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

/** The sentences explaining why two figures on one page differ by design (both of a pair shown). */
export function differencesAmong(shown: readonly MetricId[]): string[] {
  const on = new Set<string>(shown);
  return METRIC_DIFFERENCES.filter((d) => d.metrics.every((m) => on.has(m))).map((d) => d.sentence);
}

/** The previous period as the API describes it (`previousPeriod`), when it does. */
export function previousPeriodOf(
  data: object | null | undefined,
): { from: string; to: string; daysWithData: number } | undefined {
  if (!data || !('previousPeriod' in data)) return undefined;
  const p = (data as { previousPeriod?: unknown }).previousPeriod;
  if (!p || typeof p !== 'object') return undefined;
  const { from, to, daysWithData } = p as Record<string, unknown>;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof daysWithData !== 'number')
    return undefined;
  return { from, to, daysWithData };
}

/** The previous period's figures when the response carries them (`previousFigures`), else undefined. */
export function previousFiguresOf(data: object | null | undefined): object | undefined {
  if (!data || !('previousFigures' in data)) return undefined;
  const f = (data as { previousFigures?: unknown }).previousFigures;
  return f && typeof f === 'object' ? f : undefined;
}
