import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, DataTable } from '../components/ChartCard';
import { Empty, ErrorState, Loading } from '../components/states';
import { useRevenue } from '../lib/analytics';
import type { Table } from '../lib/csv';
import { formatDateTime, formatMinor } from '../lib/format';
import { useRange } from '../lib/range-context';

type RevenueData = NonNullable<ReturnType<typeof useRevenue>['data']>['data'];
type Row = RevenueData['byDay'][number];

const breakdownTable = (label: string, rows: Row[]): Table => ({
  columns: [label, 'Currency', 'Gross', 'Refunds', 'Net', 'Orders'],
  rows: rows.map((r) => [
    r.key,
    r.currency,
    formatMinor(r.gross, r.currency),
    formatMinor(r.refunds, r.currency),
    formatMinor(r.net, r.currency),
    r.orders,
  ]),
});

export default function Revenue() {
  const { range, timeZone } = useRange();
  const query = useRevenue({ ...range, tz: timeZone });
  if (query.isPending)
    return (
      <Page>
        <Loading label="Loading revenue…" />
      </Page>
    );
  if (query.error && !query.data)
    return (
      <Page>
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      </Page>
    );
  const r = query.data.data;
  const summary: Table = {
    columns: [
      'Currency',
      'Gross',
      'Refunds',
      'Net',
      'Orders',
      'Average order',
      'Per session',
      'Per exposed user',
    ],
    rows: r.summary.byCurrency.map((t) => [
      t.currency,
      formatMinor(t.gross, t.currency),
      formatMinor(t.refunds, t.currency),
      formatMinor(t.net, t.currency),
      t.orders,
      formatMinor(t.averageOrderValue, t.currency),
      formatMinor(t.revenuePerSession, t.currency),
      formatMinor(t.revenuePerExposedUser, t.currency),
    ]),
  };
  const currency = r.summary.byCurrency[0]?.currency;
  const days = r.byDay.filter((d) => d.currency === currency).map((d) => ({ day: d.key, net: d.net }));
  const products: Table = {
    columns: ['Product', 'Currency', 'Cart value in paid sessions', 'Paid sessions'],
    rows: r.byProduct.map((p) => [p.productId, p.currency, formatMinor(p.amount, p.currency), p.sessions]),
  };
  return (
    <Page>
      <PaymentsToReview attention={r.attention} timeZone={timeZone} />
      <p className="muted">
        {r.summary.sessions.toLocaleString()} sessions · {r.summary.exposedUsers.toLocaleString()} users heard
        a pitch
      </p>
      {r.summary.byCurrency.length === 0 ? (
        <Empty title="No payments in this range" />
      ) : (
        <section className="card" aria-label="Summary" data-testid="revenue-summary">
          <DataTable table={summary} caption="Revenue summary" />
        </section>
      )}
      {currency && days.length > 0 ? (
        <ChartCard
          title={`Net revenue by day (${currency})`}
          table={breakdownTable('Day', r.byDay)}
          filename="revenue-by-day"
        >
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={days} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tick={{ fontSize: 11 }} />
              <YAxis tickFormatter={(v) => formatMinor(Number(v), currency)} width={80} />
              <Tooltip formatter={(v) => formatMinor(Number(v), currency)} />
              <Bar dataKey="net" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
      ) : null}
      <TableCard title="By pitch variant" table={breakdownTable('Variant', r.byVariant)} />
      <TableCard title="By product" table={products} />
      <TableCard title="By locale" table={breakdownTable('Locale', r.byLocale)} />
    </Page>
  );
}

/**
 * Orders whose payment came in for another amount or currency than owed: not revenue until resolved
 * (a refund, or the payment that matches), so the page says which ones wait.
 */
function PaymentsToReview({
  attention,
  timeZone,
}: {
  attention: RevenueData['attention'];
  timeZone: string;
}) {
  if (attention.count === 0) return null;
  const more = attention.count - attention.orders.length;
  return (
    <section
      className="card attention"
      role="alert"
      aria-label="Payments to review"
      data-testid="payments-to-review"
    >
      <h3>
        {attention.count === 1 ? '1 order needs' : `${attention.count} orders need`} attention: paid a
        different amount than owed, left out of revenue until resolved
      </h3>
      <ul>
        {attention.orders.map((o) => (
          <li key={o.id}>
            Order of {formatDateTime(o.createdAt, timeZone)}: owed {formatMinor(o.amountTotal, o.currency)},
            received{' '}
            {o.receivedAmount !== null && o.receivedCurrency
              ? formatMinor(o.receivedAmount, o.receivedCurrency)
              : 'an unknown amount'}
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="muted">and {more} more</p> : null}
    </section>
  );
}

function Page({ children }: { children: ReactNode }) {
  return (
    <>
      <h1>Revenue</h1>
      {children}
    </>
  );
}

export function TableCard({ title, table }: { title: string; table: Table }) {
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      {table.rows.length === 0 ? (
        <Empty title="Nothing in this range" />
      ) : (
        <DataTable table={table} caption={title} />
      )}
    </section>
  );
}
