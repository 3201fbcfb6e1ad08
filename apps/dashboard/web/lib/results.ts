import { useQuery } from '@tanstack/react-query';
import { ApiError, api, ok } from './api';
import { experimentKeys } from './experiments';

/*
 * The body's types come from the route (Hono RPC). One caveat the types cannot show: an estimate the
 * data cannot give yet is NaN on the server and arrives as null in JSON, so pages format numbers with
 * guards rather than trusting `number`.
 */
export type ResultsBody = Awaited<ReturnType<typeof fetchResults>>;
export type Results = ResultsBody['results'];
export type VariantResult = Results['variants'][number];

const fetchResults = (id: string) => ok(api.experiments[':id'].results.$get({ param: { id } }));

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
