import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip } from 'recharts';
import { ErrorState, Loading } from '../components/states';
import { type RangeQuery, useOverview } from '../lib/analytics';
import { api, ok } from '../lib/api';
import { previousPeriod } from '../lib/date-range';
import { formatMinor, formatPercent, formatSignedPercent } from '../lib/format';
import { useRange } from '../lib/range-context';
import { useMe } from '../lib/session';

/** Marked once the overview shows its settled state; the browser test reads it as time to interactive. */
export const OVERVIEW_READY_MARK = 'pitchline:overview-ready';

type OverviewData = NonNullable<ReturnType<typeof useOverview>['data']>['data'];

type Kpis = { revenue: number; orders: number; conversion: number; sessions: number };

/** The four headline numbers; revenue and orders in the merchant's currency (net of refunds). */
function kpis(o: OverviewData, currency: string): Kpis {
  const totals = o.revenue.byCurrency.find((t) => t.currency === currency) ?? o.revenue.byCurrency[0];
  let entered = 0;
  let converted = 0;
  for (const g of o.funnel.groups) {
    entered += g.steps[0]?.count ?? 0;
    converted += g.steps[g.steps.length - 1]?.count ?? 0;
  }
  return {
    revenue: totals?.net ?? 0,
    orders: totals?.orders ?? 0,
    conversion: entered > 0 ? converted / entered : 0,
    sessions: o.revenue.sessions,
  };
}

/** Relative change; undefined when the previous period had nothing to compare against. */
function change(now: number, before: number | undefined): number | undefined {
  if (before === undefined || before === 0) return undefined;
  return (now - before) / before;
}

export default function Overview() {
  const me = useMe();
  const { range, comparison, timeZone } = useRange();
  const current: RangeQuery = { ...range, tz: timeZone };
  const previous: RangeQuery = { ...previousPeriod(range), tz: timeZone };
  const overview = useOverview(current);
  const before = useOverview(previous, { enabled: comparison !== 'none', live: false });
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
  const now = overview.data ? kpis(overview.data.data, currency) : undefined;
  const then = before.data && comparison !== 'none' ? kpis(before.data.data, currency) : undefined;
  const spark = (overview.data?.data.revenueByDay ?? [])
    .filter((r) => r.currency === currency)
    .map((r) => ({ day: r.key, net: r.net }));
  const cards: { key: keyof Kpis; label: string; show: (v: number) => string }[] = [
    { key: 'revenue', label: 'Revenue', show: (v) => formatMinor(v, currency) },
    { key: 'orders', label: 'Orders', show: (v) => v.toLocaleString() },
    { key: 'conversion', label: 'Conversion', show: (v) => formatPercent(v) },
    { key: 'sessions', label: 'Sessions', show: (v) => v.toLocaleString() },
  ];
  return (
    <>
      <h1>Overview</h1>
      <p className="muted">
        {me.merchant.name} · {currency} · {timeZone} · {range.from} – {range.to}
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
      ) : overview.error && !overview.data ? (
        <ErrorState error={overview.error} retry={() => void overview.refetch()} />
      ) : now ? (
        <div className="kpis" data-testid="kpis">
          {cards.map((c) => {
            const delta = change(now[c.key], then?.[c.key]);
            return (
              <section className="card kpi" key={c.key} aria-label={c.label}>
                <h2>{c.label}</h2>
                <p className="kpi-value" data-testid={`kpi-${c.key}`}>
                  {c.show(now[c.key])}
                </p>
                <p className="muted">
                  {comparison === 'none'
                    ? ' '
                    : delta === undefined
                      ? 'no previous data'
                      : `${formatSignedPercent(delta)} vs previous period`}
                </p>
                {c.key === 'revenue' && spark.length > 1 ? (
                  <div className="sparkline" aria-hidden="true">
                    <ResponsiveContainer width="100%" height={40}>
                      <LineChart data={spark}>
                        <Tooltip
                          formatter={(v) => formatMinor(Number(v), currency)}
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
      ) : null}
    </>
  );
}
