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
import { Empty, ErrorState, Loading } from '../components/states';
import type { Table } from '../lib/csv';
import { formatDay, formatMinor, formatPercent, formatSignedPercent } from '../lib/format';
import { type Results, resultsUnavailable, useResults } from '../lib/results';
import { Verdict } from './Verdict';

const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

export default function ResultsView({
  id,
  currency,
  timeZone,
}: {
  id: string;
  currency: string;
  timeZone: string;
}) {
  const query = useResults(id);
  if (query.isPending) return <Loading label="Computing results…" />;
  if (query.error) {
    const why = resultsUnavailable(query.error);
    return why ? (
      <Empty title="No results yet">{why}</Empty>
    ) : (
      <ErrorState error={query.error} retry={() => void query.refetch()} />
    );
  }
  const { results } = query.data;
  const exposed = results.variants.reduce((sum, v) => sum + v.exposedUsers, 0);
  return (
    <div className="results" data-testid="results">
      <Warnings results={results} />
      <div className="card verdict-card">
        <strong>Verdict:</strong> <Verdict id={id} />
        <p className="muted">
          {results.looks} daily look{results.looks === 1 ? '' : 's'} over {results.elapsedDays.toFixed(1)}{' '}
          days · α = {results.alpha} · always-valid (sequential) p-values
          {results.cuped.applied ? ' · CUPED applied' : ''}
          {results.weighting.method === 'ipw' ? ' · inverse-propensity weighted' : ''}
          {results.srm.status === 'ok' ? ' · sample ratio OK' : ''}
        </p>
        <AnalysisNotes results={results} />
      </div>
      {exposed === 0 ? (
        <Empty title="No exposures yet">No shopper has heard a variant of this experiment yet.</Empty>
      ) : (
        <>
          <IntervalChart results={results} currency={currency} />
          <LiftChart results={results} timeZone={timeZone} />
          <VariantTable results={results} currency={currency} />
        </>
      )}
    </div>
  );
}

/** How the numbers were made, where it differs from plain per-variant means of uncapped revenue. */
function AnalysisNotes({ results }: { results: Results }) {
  const cap = results.revenueCap?.quantile;
  if (results.weighting.method !== 'ipw' && !results.srm.weightsChanged && typeof cap !== 'number')
    return null;
  return (
    <ul className="muted analysis-notes" data-testid="analysis-notes">
      {results.weighting.method === 'ipw' ? (
        <li data-testid="weighting-note">{results.weighting.reason}</li>
      ) : null}
      {results.srm.weightsChanged ? (
        <li>
          The sample-ratio check compares each variant's users with the split in force when they were first
          exposed, not today's weights.
        </li>
      ) : null}
      {typeof cap === 'number' ? (
        <li data-testid="revenue-cap-note">
          Revenue per user is capped (winsorised) at the {cap} quantile of buyers' revenue; the Revenue column
          shows what was actually taken.
        </li>
      ) : null}
    </ul>
  );
}

function Warnings({ results }: { results: Results }) {
  const breached = results.variants.filter((v) => v.guardrails.status === 'breached');
  return (
    <>
      {results.srm.status === 'mismatch' ? (
        <div className="warning" role="alert" data-testid="srm-warning">
          <strong>Sample ratio mismatch.</strong> Users per variant do not match the split in force when they
          were first exposed (p = {results.srm.pValue?.toExponential(2) ?? '—'};{' '}
          {results.srm.arms
            .map((a) => `${a.key} ${a.observed} vs ${Math.round(a.expected)} expected`)
            .join(', ')}
          ). Check assignment and exposure logging before trusting any number.
        </div>
      ) : null}
      {breached.map((v) => (
        <div className="warning" role="alert" key={v.key} data-testid="guardrail-warning">
          <strong>Guardrail breached by {v.key}:</strong>{' '}
          {v.guardrails.breached.join(', ').replaceAll('_', ' ')} significantly worse than control.
        </div>
      ))}
      {results.unknownVariants.length > 0 ? (
        <div className="warning">
          Exposures to variants this experiment does not define were ignored:{' '}
          {results.unknownVariants.join(', ')}.
        </div>
      ) : null}
    </>
  );
}

// NaN travels as null in JSON: an estimate the data cannot give yet shows as a dash.
const formatP = (p: number | null) =>
  typeof p === 'number' && Number.isFinite(p) ? (p < 0.0001 ? '< 0.0001' : p.toFixed(4)) : '—';

const isMoney = (metric: string) => metric === 'revenue_per_user';

/** "+12.3% (p 0.0012)": the lift over the holdout with its always-valid, Holm-adjusted p-value. */
function formatVsHoldout(c: { lift: number | null; adjustedPValue: number | null } | undefined) {
  if (!c) return '—';
  return `${formatSignedPercent(c.lift ?? Number.NaN)} (p ${formatP(c.adjustedPValue)})`;
}

function formatMetric(metric: string, value: number, currency: string) {
  return isMoney(metric) ? formatMinor(value, currency) : formatPercent(value, 2);
}

function IntervalChart({ results, currency }: { results: Results; currency: string }) {
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
      value,
      lo,
      hi,
      error: [value - lo, hi - value] as [number, number],
      label: m?.label ?? metric,
    };
  });
  const table: Table = {
    columns: ['variant', `${metric} estimate`, 'interval low', 'interval high'],
    rows: rows.map((r) => [r.key, r.value, r.lo, r.hi]),
  };
  const label = rows[0]?.label ?? metric;
  return (
    <ChartCard
      title={`Primary metric per variant: ${label}`}
      description="Bars are the estimates; whiskers their confidence intervals."
      table={table}
      filename={`${results.key}-${metric}-by-variant`}
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="key" />
          <YAxis tickFormatter={(v: number) => formatMetric(metric, v, currency)} width={80} />
          <Tooltip formatter={(v) => formatMetric(metric, Number(v), currency)} />
          <Bar dataKey="value" name={label} fill={COLORS[0]} isAnimationActive={false}>
            <ErrorBar dataKey="error" width={8} stroke="#111827" />
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

function LiftChart({ results, timeZone }: { results: Results; timeZone: string }) {
  const treatments = results.variants.filter((v) => !v.isControl).map((v) => v.key);
  const byLook = new Map<number, Record<string, number>>();
  for (const p of results.series) {
    if (p.lift === undefined || p.lift === null) continue;
    const row = byLook.get(p.at) ?? { at: p.at };
    row[p.variant] = p.lift;
    byLook.set(p.at, row);
  }
  const data = [...byLook.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const table: Table = {
    columns: ['as of', ...treatments.map((t) => `${t} lift vs control`)],
    rows: data.map((r) => [new Date(r.at ?? 0).toISOString(), ...treatments.map((t) => r[t] ?? null)]),
  };
  if (data.length === 0) return null;
  return (
    <ChartCard
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

function VariantTable({ results, currency }: { results: Results; currency: string }) {
  const holdout = results.holdout;
  return (
    <section className="card">
      <h3>Per variant</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Exposed users</th>
              <th scope="col">Conversions</th>
              <th scope="col">Revenue</th>
              <th scope="col">Lift (primary)</th>
              <th scope="col">p (always valid, adjusted)</th>
              <th scope="col">Chance to beat control</th>
              <th scope="col">Guardrails</th>
              {holdout ? <th scope="col">Lift vs holdout (primary)</th> : null}
            </tr>
          </thead>
          <tbody>
            {results.variants.map((v) => {
              const primary = v.metrics.find((m) => m.metric === results.primaryMetric);
              const c = primary?.vsControl;
              return (
                <tr key={v.key}>
                  <th scope="row">
                    {v.key}
                    {v.isControl ? ' (control)' : ''}
                  </th>
                  <td>{v.exposedUsers}</td>
                  <td>{v.conversions}</td>
                  <td>{formatMinor(v.revenue, currency)}</td>
                  <td>{c ? formatSignedPercent(c.lift ?? Number.NaN) : '—'}</td>
                  <td>{c ? formatP(c.adjustedPValue) : '—'}</td>
                  <td>{c ? formatPercent(c.chanceToBeatControl ?? Number.NaN, 0) : '—'}</td>
                  <td>{v.guardrails.status}</td>
                  {holdout ? <td>{formatVsHoldout(primary?.vsHoldout)}</td> : null}
                </tr>
              );
            })}
            {holdout ? (
              <tr data-testid="holdout-row">
                <th scope="row">holdout ({formatPercent(holdout.share, 0)} of users, no variant)</th>
                <td>{holdout.exposedUsers}</td>
                <td>{holdout.conversions}</td>
                <td>{formatMinor(holdout.revenue, currency)}</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
