import { useQuery } from '@tanstack/react-query';
import { ApiError, type ApiErrorBody } from './api';
import { experimentKeys } from './experiments';

/*
 * GET /api/experiments/:id/results is being added to the API beside this SPA. Until it is part of
 * the typed route chain, it is fetched by path and its body described here: the subset of
 * @pitchline/analytics' ExperimentResults the pages read. Numbers the data cannot give yet (NaN) arrive
 * as null in JSON, hence `number | null` where an estimate may be missing.
 */
export type MetricComparison = {
  lift: number | null;
  adjustedPValue: number | null;
  chanceToBeatControl: number | null;
  significant: boolean;
  direction: 'better' | 'worse' | 'none';
};
export type MetricResult = {
  metric: string;
  label: string;
  role: 'primary' | 'secondary' | 'guardrail';
  value: number | null;
  ci: [number | null, number | null];
  vsControl?: MetricComparison;
};
export type VariantResult = {
  key: string;
  isControl: boolean;
  weight: number;
  exposedUsers: number;
  conversions: number;
  revenue: number;
  metrics: MetricResult[];
  guardrails: { status: 'ok' | 'breached' | 'control'; breached: string[] };
};
export type Results = {
  experimentId: string;
  key: string;
  alpha: number;
  primaryMetric: string;
  elapsedDays: number;
  looks: number;
  srm: { status: 'ok' | 'mismatch' | 'not_applicable'; pValue: number | null };
  cuped: { applied: boolean };
  variants: VariantResult[];
  unknownVariants: string[];
  verdict: { decision: string; variant?: string; text: string; reason: string };
  series: { at: number; variant: string; lift?: number | null }[];
};

async function fetchResults(id: string): Promise<{ results: Results }> {
  const res = await fetch(`/api/experiments/${encodeURIComponent(id)}/results`, {
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw new ApiError(res.status, body as ApiErrorBody);
  return body as { results: Results };
}

/** Results are computed from ClickHouse on each call: kept a minute, refreshed in the background. */
export function useResults(id: string, enabled = true) {
  return useQuery({
    queryKey: experimentKeys.results(id),
    queryFn: () => fetchResults(id),
    enabled,
    staleTime: 60_000,
  });
}

/** 503 (no analytics store), 409 (not started) and 404 (route not served yet) are page states. */
export function resultsUnavailable(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 503) return 'Results are not available: the analytics store is not connected.';
  if (error.status === 409) return error.message;
  if (error.status === 404) return 'Results are not available yet.';
  return null;
}
