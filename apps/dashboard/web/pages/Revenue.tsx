import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, CsvButton, DataTable } from '../components/ChartCard';
import { Differences, HowCalculated } from '../components/HowCalculated';
import { Empty, ErrorState, Loading } from '../components/states';
import { useRevenue } from '../lib/analytics';
import { formatCount, formatDateTime, formatMoney, formatShortLocalDate } from '../lib/format';
import { productLabel, variantLabel } from '../lib/labels';
import { differencesAmong, figureOf, type MetricId } from '../lib/metrics';
import { useRange } from '../lib/range-context';
import { col, type TableModel } from '../lib/table';
import { useTitle } from '../lib/title';
import { useDisplay } from '../lib/use-display';

type RevenueData = NonNullable<ReturnType<typeof useRevenue>['data']>['data'];
type Row = RevenueData['byDay'][number];
type Totals = RevenueData['summary']['byCurrency'][number];
type Product = RevenueData['byProduct'][number];

const moneyColumns = [
  col.money<Row>('gross_revenue', 'Gross', (r) => r.gross),
  col.money<Row>('refunds', 'Refunds', (r) => r.refunds),
  col.money<Row>('net_revenue', 'Net', (r) => r.net),
  col.count<Row>('paid_orders', 'Paid orders', (r) => r.orders),
];

const breakdownTable = (first: TableModel<Row>['columns'][number], rows: Row[]): TableModel<Row> => ({
  columns: [first, col.text<Row>('currency', 'Currency', (r) => r.currency), ...moneyColumns],
  rows,
  currencyOf: (r) => r.currency,
  explain: true,
});

/** The metrics shown on this page, for the "differ by design" sentences. */
const SHOWN: MetricId[] = [
  'gross_revenue',
  'refunds',
  'net_revenue',
  'paid_orders',
  'average_order_value',
  'revenue_per_session',
  'revenue_per_exposed_shopper',
  'sessions',
  'exposed_shoppers',
];

export default function Revenue() {
  useTitle('Revenue');
  const { range, timeZone } = useRange();
  const display = useDisplay();
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
  const summary: TableModel<Totals> = {
    columns: [
      col.text<Totals>('currency', 'Currency', (t) => t.currency),
      col.money<Totals>('gross_revenue', 'Gross', (t) => t.gross),
      col.money<Totals>('refunds', 'Refunds', (t) => t.refunds),
      col.money<Totals>('net_revenue', 'Net', (t) => t.net),
      col.count<Totals>('paid_orders', 'Paid orders', (t) => t.orders),
      col.money<Totals>('average_order_value', 'Average order', (t) => t.averageOrderValue),
      col.money<Totals>('revenue_per_session', 'Per session', (t) => t.revenuePerSession),
      col.money<Totals>(
        'revenue_per_exposed_shopper',
        'Per shopper who heard a pitch',
        (t) => t.revenuePerExposedUser,
      ),
    ],
    rows: r.summary.byCurrency,
    currencyOf: (t) => t.currency,
    explain: true,
  };
  const currency = r.summary.byCurrency[0]?.currency;
  const days = r.byDay.filter((d) => d.currency === currency).map((d) => ({ day: d.key, net: d.net }));
  const products: TableModel<Product> = {
    columns: [
      col.text<Product>('product', 'Product', (p) => productLabel(p)),
      col.text<Product>('product_id', 'Product id', (p) => p.productId),
      col.text<Product>('currency', 'Currency', (p) => p.currency),
      col.money<Product>('cart_value_paid_sessions', 'Cart value in paid sessions', (p) => p.amount),
      col.count<Product>('paid_sessions_with_product', 'Paid sessions', (p) => p.sessions),
    ],
    rows: r.byProduct,
    currencyOf: (p) => p.currency,
  };
  // The screen shows products by name; the id stays in the CSV (and in the Conversations filter).
  const productsOnScreen: TableModel<Product> = {
    ...products,
    columns: products.columns.filter((c) => c.id !== 'product_id'),
  };
  const sessions = figureOf(r, 'sessions')?.value ?? r.summary.sessions;
  const exposed = figureOf(r, 'exposed_shoppers')?.value ?? r.summary.exposedUsers;
  return (
    <Page>
      <PaymentsToReview attention={r.attention} timeZone={timeZone} locale={display.locale} />
      <p className="muted">
        {formatCount(sessions, display.locale)} sessions
        <HowCalculated metric="sessions" /> · {formatCount(exposed, display.locale)} shoppers heard a pitch
        <HowCalculated metric="exposed_shoppers" />
      </p>
      {r.summary.byCurrency.length === 0 ? (
        <Empty title="No payments in this range" />
      ) : (
        <section className="card" aria-label="Summary" data-testid="revenue-summary">
          <header className="card-header">
            <h2 className="card-title">
              Summary
              <HowCalculated metric="net_revenue" label="net revenue" />
            </h2>
            <CsvButton table={summary} filename="revenue-summary" />
          </header>
          <DataTable table={summary} caption="Revenue summary" />
        </section>
      )}
      {currency && days.length > 0 ? (
        <ChartCard
          title={`Net revenue by day (${currency})`}
          table={breakdownTable(
            col.date<Row>('day', 'Day', (d) => d.key),
            r.byDay,
          )}
          filename="revenue-by-day"
        >
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={days} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="day"
                tick={{ fontSize: 11 }}
                tickFormatter={(d) => formatShortLocalDate(String(d), display.locale)}
              />
              <YAxis tickFormatter={(v) => formatMoney(Number(v), currency, display.locale)} width={80} />
              <Tooltip formatter={(v) => formatMoney(Number(v), currency, display.locale)} />
              <Bar dataKey="net" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
      ) : null}
      <TableCard
        title="By pitch variant"
        table={breakdownTable(
          col.text<Row>('variant', 'Variant', (v) => variantLabel({ ...v, variantKey: v.key })),
          r.byVariant,
        )}
        filename="revenue-by-variant"
        note="Each payment is credited to the first pitch variant heard in its session, on the day the money was taken."
      />
      <TableCard title="By product" table={productsOnScreen} csv={products} filename="revenue-by-product" />
      <TableCard
        title="By locale"
        table={breakdownTable(
          col.text<Row>('locale', 'Locale', (l) => l.key || 'Unknown'),
          r.byLocale,
        )}
        filename="revenue-by-locale"
      />
      {/* Experiment results show revenue per shopper of the same variants: the page says why they differ. */}
      <Differences
        sentences={[
          ...differencesAmong(SHOWN),
          ...differencesAmong(['net_revenue', 'experiment_revenue_per_shopper']),
        ]}
      />
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
  locale,
}: {
  attention: RevenueData['attention'];
  timeZone: string;
  locale: string;
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
      <h2 className="card-title">
        {attention.count === 1 ? '1 order needs' : `${attention.count} orders need`} attention: paid a
        different amount than owed, left out of revenue until resolved
      </h2>
      <ul>
        {attention.orders.map((o) => (
          <li key={o.id}>
            Order of {formatDateTime(o.createdAt, timeZone, locale)}: owed{' '}
            {formatMoney(o.amountTotal, o.currency, locale)}, received{' '}
            {o.receivedAmount !== null && o.receivedCurrency
              ? formatMoney(o.receivedAmount, o.receivedCurrency, locale)
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

export function TableCard<Row>({
  title,
  table,
  csv,
  filename,
  note,
  how,
}: {
  title: string;
  table: TableModel<Row>;
  /** The CSV's table when it has more columns than the screen (ids). */
  csv?: TableModel<Row>;
  filename: string;
  note?: ReactNode;
  how?: MetricId;
}) {
  return (
    <section className="card" aria-label={title}>
      <header className="card-header">
        <h2 className="card-title">
          {title}
          {how ? <HowCalculated metric={how} /> : null}
        </h2>
        {table.rows.length > 0 ? <CsvButton table={csv ?? table} filename={filename} /> : null}
      </header>
      {note ? <p className="muted">{note}</p> : null}
      {table.rows.length === 0 ? (
        <Empty title="Nothing in this range" />
      ) : (
        <DataTable table={table} caption={title} />
      )}
    </section>
  );
}
