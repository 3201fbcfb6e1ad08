import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip } from 'recharts';
import { Differences, HowCalculated } from '../components/HowCalculated';
import { ErrorState, Loading } from '../components/states';
import { type RangeQuery, useOverview } from '../lib/analytics';
import { api, ok } from '../lib/api';
import { daysBetween, previousPeriod } from '../lib/date-range';
import {
  comparisonText,
  formatByUnit,
  formatLocalDate,
  formatMoney,
  type PreviousPeriod,
} from '../lib/format';
import {
  differencesAmong,
  figureOf,
  METRICS,
  type MetricId,
  previousFiguresOf,
  previousPeriodOf,
} from '../lib/metrics';
import { useRange } from '../lib/range-context';
import { useMe } from '../lib/session';
import { useTitle } from '../lib/title';
import { useDisplay } from '../lib/use-display';

/** Marked once the overview shows its settled state; the browser test reads it as time to interactive. */
export const OVERVIEW_READY_MARK = 'pitchline:overview-ready';

type OverviewData = NonNullable<ReturnType<typeof useOverview>['data']>['data'];

/** The four headline figures, each a metric of the catalogue. */
const HEADLINE: { metric: MetricId; testId: string }[] = [
  { metric: 'net_revenue', testId: 'kpi-revenue' },
  { metric: 'paid_orders', testId: 'kpi-orders' },
  { metric: 'paid_conversion', testId: 'kpi-conversion' },
  { metric: 'sessions', testId: 'kpi-sessions' },
];

type Value = { value: number | null; reason?: string };

/**
 * A headline figure: the API's (`figures`, issue 12) when the response carries it, else read from the
 * fields this page used before, in the merchant's currency (net of refunds).
 */
function headline(o: OverviewData, metric: MetricId, currency: string): Value {
  const figure = figureOf(o, metric);
  if (figure) return figure.reason ? { value: figure.value, reason: figure.reason } : { value: figure.value };
  if (!('revenue' in o)) return { value: null, reason: 'not sent' };
  const totals = o.revenue.byCurrency.find((t) => t.currency === currency);
  switch (metric) {
    case 'net_revenue':
      return { value: totals?.net ?? 0 };
    case 'paid_orders':
      return { value: totals?.orders ?? 0 };
    case 'sessions':
      return { value: o.revenue.sessions };
    case 'paid_conversion': {
      let entered = 0;
      let converted = 0;
      for (const g of o.funnel.groups) {
        entered += g.steps[0]?.count ?? 0;
        converted += g.steps[g.steps.length - 1]?.count ?? 0;
      }
      return entered > 0 ? { value: converted / entered } : { value: null, reason: 'no sessions' };
    }
    default:
      return { value: null };
  }
}

/**
 * How much data the previous period had: the API says (`previousPeriod.daysWithData`); without it, the
 * days of that period with any revenue or sessions in its own answer.
 */
function previousData(current: OverviewData | undefined, before: object | undefined, days: number) {
  const told = previousPeriodOf(current);
  if (told) return { days, daysWithData: told.daysWithData, from: told.from, to: told.to } as PreviousPeriod;
  if (!before || !('revenueByDay' in before)) return null;
  const withData = new Set((before as OverviewData).revenueByDay.map((r) => r.key));
  return { days, daysWithData: withData.size } as PreviousPeriod;
}

export default function Overview() {
  useTitle('Overview');
  const me = useMe();
  const display = useDisplay();
  const { range, comparison, timeZone } = useRange();
  const current: RangeQuery = { ...range, tz: timeZone };
  const previousRange = previousPeriod(range);
  const previous: RangeQuery = { ...previousRange, tz: timeZone };
  const overview = useOverview(current);
  // The API sends the previous period's figures with the current ones (issue 12); only without them
  // is the previous period asked for on its own.
  const sentBefore = previousFiguresOf(overview.data?.data);
  const before = useOverview(previous, {
    enabled: comparison !== 'none' && !overview.isPending && !sentBefore,
    live: false,
  });
  const status = useQuery({
    queryKey: ['status'],
    queryFn: () => ok(api.status.$get()),
    refetchInterval: 5_000,
  });
  const settled = !overview.isPending;
  useEffect(() => {
    if (settled && performance.getEntriesByName(OVERVIEW_READY_MARK).length === 0) {
      performance.mark(OVERVIEW_READY_MARK);
    }
  }, [settled]);
  const currency = me.merchant.currency;
  const data = overview.data?.data;
  const beforeData: object | undefined =
    comparison === 'none' ? undefined : sentBefore ? { figures: sentBefore } : before.data?.data;
  const prev = previousData(data, beforeData, daysBetween(previousRange));
  const spark = (data?.revenueByDay ?? [])
    .filter((r) => r.currency === currency)
    .map((r) => ({ day: r.key, net: r.net }));
  return (
    <>
      <h1>Overview</h1>
      <p className="muted">
        {me.merchant.name} · {currency} · {timeZone} · {formatLocalDate(range.from, display.locale)} –{' '}
        {formatLocalDate(range.to, display.locale)}
      </p>
      <p className="status-line" data-testid="store-status" aria-live="polite">
        {status.isPending
          ? 'Checking the analytics stores…'
          : status.data?.ready
            ? 'Analytics stores ready · refreshed every 3 s'
            : 'Analytics stores not ready yet: events are kept and loaded when they are'}
      </p>
      {overview.isPending ? (
        <Loading label="Loading the overview…" />
      ) : overview.error && !data ? (
        <ErrorState error={overview.error} retry={() => void overview.refetch()} />
      ) : data ? (
        <>
          <div className="kpis" data-testid="kpis">
            {HEADLINE.map(({ metric, testId }) => {
              const def = METRICS[metric];
              const now = headline(data, metric, currency);
              const then = beforeData ? headline(beforeData as OverviewData, metric, currency) : undefined;
              return (
                <section className="card kpi" key={metric} aria-label={def.name}>
                  <h2>
                    {def.name}
                    <HowCalculated metric={metric} />
                  </h2>
                  <p className="kpi-value" data-testid={testId}>
                    {formatByUnit(def.unit, now.value, {
                      ...display,
                      ...(now.reason ? { reason: now.reason } : {}),
                    })}
                  </p>
                  <p className="muted kpi-compare" data-testid={`${testId}-compare`}>
                    {comparison === 'none'
                      ? ' '
                      : comparisonText(
                          now.value,
                          then?.value,
                          // A disabled query stays "pending": with the figures sent, nothing is loading.
                          sentBefore || !before.isPending ? prev : undefined,
                          display.locale,
                        )}
                  </p>
                  {metric === 'net_revenue' && spark.length > 1 ? (
                    <div className="sparkline" aria-hidden="true" inert>
                      <ResponsiveContainer width="100%" height={40}>
                        <LineChart data={spark}>
                          <Tooltip
                            formatter={(v) => formatMoney(Number(v), currency, display.locale)}
                            labelFormatter={() => ''}
                          />
                          <Line
                            type="monotone"
                            dataKey="net"
                            dot={false}
                            strokeWidth={2}
                            isAnimationActive={false}
                          />
                        </LineChart>
                      </ResponsiveContainer>
                    </div>
                  ) : null}
                </section>
              );
            })}
          </div>
          <Differences sentences={differencesAmong(HEADLINE.map((h) => h.metric))} />
        </>
      ) : null}
    </>
  );
}
