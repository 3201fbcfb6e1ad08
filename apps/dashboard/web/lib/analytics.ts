import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ok } from './api';
import type { DateRange } from './date-range';

/*
 * Data hooks of the analytics pages. The range is the merchant's local days and the zone travels with
 * it, so the server and the picker agree on what "today" is.
 */

export type RangeQuery = DateRange & { tz: string };

const rangeParams = (r: RangeQuery) => ({ query: { from: r.from, to: r.to, tz: r.tz } });

/** Polled every 5 s so the overview shows new events within 5 s of their arrival. */
export function useOverview(range: RangeQuery, enabled = true) {
  return useQuery({
    queryKey: ['analytics', 'overview', range],
    queryFn: () => ok(api.analytics.overview.$get(rangeParams(range) as never)),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRevenue(range: RangeQuery) {
  return useQuery({
    queryKey: ['analytics', 'revenue', range],
    queryFn: () => ok(api.analytics.revenue.$get(rangeParams(range) as never)),
    placeholderData: keepPreviousData,
  });
}

export function useInsights(range: RangeQuery) {
  return useQuery({
    queryKey: ['analytics', 'insights', range],
    queryFn: () => ok(api.analytics.insights.$get(rangeParams(range) as never)),
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
    queryFn: () => ok(api.analytics.funnel.$post({ json: spec } as never)),
    placeholderData: keepPreviousData,
  });
}

export function useDropoffs(spec: FunnelRequest, droppedAfterStep: number | null, group: string | null) {
  return useQuery({
    queryKey: ['analytics', 'dropoffs', spec, droppedAfterStep, group],
    queryFn: () =>
      ok(
        api.analytics.funnel.dropoffs.$post({
          json: {
            funnel: spec,
            droppedAfterStep,
            limit: 50,
            ...(group !== null && spec.breakdown !== 'none' ? { group } : {}),
          },
        } as never),
      ),
    enabled: droppedAfterStep !== null,
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
