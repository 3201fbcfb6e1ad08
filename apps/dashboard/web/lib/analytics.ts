import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { InferRequestType } from 'hono/client';
import { api, ok } from './api';
import type { DateRange } from './date-range';

/*
 * Data hooks of the analytics pages. The range is the merchant's local days and the zone travels with
 * it, so the server and the picker agree on what "today" is.
 */

export type RangeQuery = DateRange & { tz: string };

const rangeParams = (r: RangeQuery) => ({ query: { from: r.from, to: r.to, tz: r.tz } });

/**
 * Polled every 3 s so the overview shows a new event within 5 s of its arrival: the event log ships a
 * quiet skill's events within 250 ms, the query takes well under a second, and the poll waits ≤ 3 s.
 */
export function useOverview(range: RangeQuery, { enabled = true, live = true } = {}) {
  return useQuery({
    queryKey: ['analytics', 'overview', range],
    queryFn: () => ok(api.analytics.overview.$get(rangeParams(range))),
    // Only the current period polls: the previous one is over, so re-asking every 3 s would double the
    // overview's load for nothing (a late refund there shows on the next visit).
    refetchInterval: live ? 3_000 : false,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRevenue(range: RangeQuery) {
  return useQuery({
    queryKey: ['analytics', 'revenue', range],
    queryFn: () => ok(api.analytics.revenue.$get(rangeParams(range))),
    placeholderData: keepPreviousData,
  });
}

export function useInsights(range: RangeQuery) {
  return useQuery({
    queryKey: ['analytics', 'insights', range],
    queryFn: () => ok(api.analytics.insights.$get(rangeParams(range))),
    placeholderData: keepPreviousData,
  });
}

export const DEFAULT_STEPS = [
  'session_start',
  'pitch_exposure',
  'cart_add',
  'order_confirmed',
  'payment_succeeded',
] as const;

export const BREAKDOWNS = ['none', 'variant', 'experiment', 'locale', 'device', 'product'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export type FunnelRequest = RangeQuery & {
  steps: { type: string }[];
  windowSeconds: number;
  breakdown: Breakdown;
};

export function useFunnel(spec: FunnelRequest) {
  return useQuery({
    queryKey: ['analytics', 'funnel', spec],
    queryFn: () => ok(api.analytics.funnel.$post({ json: spec })),
    placeholderData: keepPreviousData,
  });
}

/** Dropped units per page of the drill-down: "Show 50 more" asks for the next page after the last. */
export const DROPOFF_PAGE = 50;

/** Every dropped unit of a step, a page at a time (keyset: after the previous page's last unit). */
export function useDropoffs(spec: FunnelRequest, droppedAfterStep: number | null, group: string | null) {
  return useInfiniteQuery({
    queryKey: ['analytics', 'dropoffs', spec, droppedAfterStep, group],
    initialPageParam: null as { enteredAt: number; unit: string } | null,
    // No step picked: nothing to ask yet.
    enabled: droppedAfterStep !== null,
    queryFn: ({ pageParam }) =>
      ok(
        api.analytics.funnel.dropoffs.$post({
          json: {
            funnel: spec,
            droppedAfterStep: droppedAfterStep ?? 1,
            limit: DROPOFF_PAGE,
            ...(group !== null && spec.breakdown !== 'none' ? { group } : {}),
            ...(pageParam ? { after: pageParam } : {}),
          },
        }),
      ),
    getNextPageParam: (last) => {
      const end = last.data.at(-1);
      return last.data.length < DROPOFF_PAGE || !end ? null : { enteredAt: end.enteredAt, unit: end.unit };
    },
  });
}

export function useTranscript(sessionId: string | null) {
  return useQuery({
    queryKey: ['analytics', 'transcript', sessionId],
    queryFn: () => ok(api.analytics.sessions[':id'].transcript.$get({ param: { id: sessionId ?? '' } })),
    enabled: Boolean(sessionId),
    retry: false,
  });
}

export const SESSION_OUTCOMES = ['paid', 'ordered-not-paid', 'cart-abandoned', 'no-cart'] as const;

/** The session search's filters as the page holds them: blank means "any". */
export type SessionCriteria = {
  q: string;
  outcome: '' | (typeof SESSION_OUTCOMES)[number];
  device: '' | 'screen' | 'voice';
  minTurns: string;
  variant: string;
  productId: string;
  locale: string;
};

export const EMPTY_CRITERIA: SessionCriteria = {
  q: '',
  outcome: '',
  device: '',
  minTurns: '',
  variant: '',
  productId: '',
  locale: '',
};

/** The session search's query string, as the route declares it. */
type SessionSearchQuery = InferRequestType<typeof api.analytics.sessions.$get>['query'];
export type SessionFilterParams = Pick<SessionSearchQuery, keyof SessionCriteria>;

/** Only the filters that are set, trimmed, as query-string values (the server ignores blanks too). */
export function criteriaParams(c: SessionCriteria): SessionFilterParams {
  const params: SessionFilterParams = {};
  if (c.q.trim() !== '') params.q = c.q;
  if (c.outcome !== '') params.outcome = c.outcome;
  if (c.device !== '') params.device = c.device;
  for (const key of ['minTurns', 'variant', 'productId', 'locale'] as const) {
    const value = c[key].trim();
    if (value !== '') params[key] = value;
  }
  return params;
}

/** Pages of the session search, newest first; `fetchNextPage` follows the server's cursor. */
export function useSessionSearch(range: RangeQuery, criteria: SessionCriteria, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['analytics', 'sessions', range, criteria, limit],
    queryFn: ({ pageParam }) =>
      ok(
        api.analytics.sessions.$get({
          query: {
            ...rangeParams(range).query,
            ...criteriaParams(criteria),
            limit: String(limit),
            ...(pageParam ? { cursor: pageParam } : {}),
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.data.nextCursor,
  });
}
