import type {
  queryFunnel,
  queryFunnelDropoffs,
  queryFunnelOverTime,
  queryOverview,
  querySessionSearch,
  queryTranscript,
} from '@pitchline/analytics';
import type { InferRequestType } from 'hono/client';
import type { JSONParsed } from 'hono/utils/types';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  FunnelRequest,
  RangeQuery,
  SessionFilterParams,
  useDropoffs,
  useFunnel,
  useOverview,
  useSessionSearch,
  useTranscript,
} from './analytics';
import type { api } from './api';

/*
 * Type-level checks (tsc checks this file; at run time every `it` is empty): the SPA's data hooks get
 * their types from the dashboard API's routes, which get them from the analytics queries. A cast
 * anywhere between them (a response forced to `never`, a body typed by hand, an `ok()` that answers `any`)
 * turns one of these types into `never`, `any` or a restatement, and this file stops compiling.
 */

/** What a hook's query holds once it has data. */
type Data<Hook extends (...args: never[]) => { data: unknown }> = NonNullable<ReturnType<Hook>['data']>;
/** An analytics query's result as it arrives: JSON, through the RPC client's own reading of it. */
type Json<Query extends (...args: never[]) => Promise<unknown>> = JSONParsed<Awaited<ReturnType<Query>>>;

describe('analytics hooks take their data types from the routes', () => {
  it('overview: the Overview query result', () => {
    expectTypeOf<Data<typeof useOverview>>().toEqualTypeOf<{ data: Json<typeof queryOverview> }>();
  });

  it('funnel: the funnel and its conversion over time', () => {
    expectTypeOf<Data<typeof useFunnel>>().toEqualTypeOf<{
      data: { funnel: Json<typeof queryFunnel>; overTime: Json<typeof queryFunnelOverTime> };
    }>();
    expectTypeOf<Data<typeof useDropoffs>['pages'][number]>().toEqualTypeOf<{
      data: Json<typeof queryFunnelDropoffs>;
    }>();
  });

  it('sessions: pages of the session search, and a transcript', () => {
    expectTypeOf<Data<typeof useSessionSearch>['pages'][number]>().toEqualTypeOf<{
      data: Json<typeof querySessionSearch>;
    }>();
    expectTypeOf<Data<typeof useTranscript>>().toEqualTypeOf<{
      data: NonNullable<Json<typeof queryTranscript>>;
    }>();
  });
});

describe('what the SPA sends is what the routes accept', () => {
  type OverviewRequest = InferRequestType<typeof api.analytics.overview.$get>;
  type FunnelBody = InferRequestType<typeof api.analytics.funnel.$post>['json'];
  type SessionQuery = InferRequestType<typeof api.analytics.sessions.$get>['query'];

  it('the range, the funnel definition and the search filters fit the routes’ inputs', () => {
    expectTypeOf<{ query: Pick<RangeQuery, 'from' | 'to' | 'tz'> }>().toExtend<OverviewRequest>();
    expectTypeOf<FunnelRequest>().toExtend<FunnelBody>();
    expectTypeOf<SessionFilterParams>().toExtend<SessionQuery>();
  });

  it('no route takes a merchant: the tenant is the caller’s', () => {
    expectTypeOf<OverviewRequest['query']>().not.toHaveProperty('merchantId');
    expectTypeOf<FunnelBody>().not.toHaveProperty('merchantId');
    expectTypeOf<SessionQuery>().not.toHaveProperty('merchantId');
  });

  it('a filter outside the route’s choices does not compile', () => {
    expectTypeOf<SessionQuery['outcome']>().toEqualTypeOf<
      'paid' | 'ordered-not-paid' | 'cart-abandoned' | 'no-cart' | 'all' | undefined
    >();
    expectTypeOf<SessionQuery['device']>().toEqualTypeOf<'screen' | 'voice' | undefined>();
  });
});
