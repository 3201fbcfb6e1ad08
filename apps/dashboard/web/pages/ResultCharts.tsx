import {
  Bar,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard } from '../components/ChartCard';
import { formatDay, formatMoney, formatPercent, formatSignedPercent } from '../lib/format';
import { variantKeyLabel } from '../lib/labels';
import type { Results } from '../lib/results';
import { col, type TableModel } from '../lib/table';

/* The experiment results' two charts (primary metric by arm with its interval, lift over time) and the
 * words they share with the results table. */

const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

/** A variant's name by key (from the experiment's definition), so the results read in words. */
export type VariantNames = Record<string, string>;

export const nameOf = (names: VariantNames, key: string) => names[key] ?? variantKeyLabel(key);

// NaN travels as null in JSON: an estimate the data cannot give yet reads "n/a" (lib/format.ts).
export const isMoney = (metric: string) => metric === 'revenue_per_user';

export function formatMetric(metric: string, value: number | null, currency: string) {
  return isMoney(metric) ? formatMoney(value, currency) : formatPercent(value, 2);
}

export function IntervalChart({
  results,
  currency,
  names,
}: {
  results: Results;
  currency: string;
  names: VariantNames;
}) {
  const metric = results.primaryMetric;
  // The holdout, when there is one, is a bar like the variants: what no variant at all gives.
  const arms = [...results.variants, ...(results.holdout ? [results.holdout] : [])];
  const rows = arms.map((v) => {
    const m = v.metrics.find((x) => x.metric === metric);
    const value = m?.value ?? 0;
    const lo = m?.ci[0] ?? value;
    const hi = m?.ci[1] ?? value;
    return {
      key: v.key,
      name: nameOf(names, v.key),
      value,
      lo,
      hi,
      error: [value - lo, hi - value] as [number, number],
      label: m?.label ?? metric,
    };
  });
  type Row = (typeof rows)[number];
  const money = isMoney(metric);
  const valueColumn = (id: string, label: string, pick: (r: Row) => number) =>
    money ? col.money<Row>(id, label, pick) : col.ratio<Row>(id, label, pick);
  const table: TableModel<Row> = {
    columns: [
      col.text<Row>('variant', 'Variant', (r) => r.name),
      col.text<Row>('variant_key', 'Key', (r) => r.key),
      valueColumn(`${metric}_estimate`, 'Estimate', (r) => r.value),
      valueColumn('interval_low', 'Interval low', (r) => r.lo),
      valueColumn('interval_high', 'Interval high', (r) => r.hi),
    ],
    rows,
    currency,
  };
  const label = rows[0]?.label ?? metric;
  return (
    <ChartCard
      level={3}
      title={`Primary metric per variant: ${label}`}
      description="Bars are the estimates; whiskers their confidence intervals."
      table={table}
      filename={`${results.key}-${metric}-by-variant`}
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" />
          <YAxis
            tickFormatter={(v: number) => (money ? formatMoney(v, currency) : formatPercent(v, 0))}
            width={80}
          />
          <Tooltip formatter={(v) => formatMetric(metric, Number(v), currency)} />
          <Bar dataKey="value" name={label} fill={COLORS[0]} isAnimationActive={false}>
            <ErrorBar dataKey="error" width={8} stroke="#111827" />
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function LiftChart({
  results,
  timeZone,
  names,
}: {
  results: Results;
  timeZone: string;
  names: VariantNames;
}) {
  const treatments = results.variants.filter((v) => !v.isControl).map((v) => v.key);
  const byLook = new Map<number, Record<string, number>>();
  for (const p of results.series) {
    if (p.lift === undefined || p.lift === null) continue;
    const row = byLook.get(p.at) ?? { at: p.at };
    row[p.variant] = p.lift;
    byLook.set(p.at, row);
  }
  const data = [...byLook.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  type Row = (typeof data)[number];
  const table: TableModel<Row> = {
    columns: [
      col.datetime<Row>('as_of', 'As of', (r) => r.at ?? null),
      ...treatments.map((t) =>
        col.ratio<Row>(
          `lift_${t.replace(/[^a-z0-9]+/gi, '_')}`,
          `${nameOf(names, t)}: lift vs control`,
          (r) => r[t],
        ),
      ),
    ],
    rows: data,
  };
  if (data.length === 0) return null;
  return (
    <ChartCard
      level={3}
      title="Cumulative lift over time"
      description="Relative lift of the primary metric against the control, as of each daily look."
      table={table}
      filename={`${results.key}-lift-over-time`}
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={(v: number) => formatDay(v, timeZone)} />
          <YAxis tickFormatter={(v: number) => formatSignedPercent(v, 0)} width={56} />
          <ReferenceLine y={0} stroke="#6b7280" />
          <Tooltip
            labelFormatter={(v) => formatDay(Number(v), timeZone)}
            formatter={(v) => formatSignedPercent(Number(v))}
          />
          <Legend />
          {treatments.map((t, i) => (
            <Line
              key={t}
              dataKey={t}
              name={nameOf(names, t)}
              stroke={COLORS[(i + 1) % COLORS.length]}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
