import { Differences, HowCalculated } from '../components/HowCalculated';
import { Empty, ErrorState, Loading } from '../components/states';
import { TableWrap } from '../components/TableWrap';
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPValue,
  formatSignedPercent,
} from '../lib/format';
import { differencesAmong } from '../lib/metrics';
import { type Results, resultsUnavailable, useResults } from '../lib/results';
import { useDisplay } from '../lib/use-display';
import { IntervalChart, LiftChart, nameOf, type VariantNames } from './ResultCharts';
import { Verdict } from './Verdict';

export type { VariantNames };

const GUARDRAIL_LABELS: Record<string, string> = { ok: 'OK', breached: 'Breached', control: 'Baseline' };

/**
 * Why a lift is missing: the API's reason when it sends one (issue 12), else the usual cause (a control
 * with no conversions has no baseline to be relative to).
 */
function liftReason(c: object | undefined, controlConversions: number): string {
  const sent = c
    ? ((c as { reason?: unknown }).reason ?? (c as { liftReason?: unknown }).liftReason)
    : undefined;
  if (typeof sent === 'string' && sent !== '') return sent;
  return controlConversions === 0 ? 'control has no conversions' : 'not enough data yet';
}

export default function ResultsView({
  id,
  currency,
  timeZone,
  variantNames = {},
}: {
  id: string;
  currency: string;
  timeZone: string;
  variantNames?: VariantNames;
}) {
  const display = useDisplay();
  const locale = display.locale;
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
      <Warnings results={results} names={variantNames} />
      <div className="card verdict-card">
        <strong>Verdict:</strong> <Verdict id={id} variantNames={variantNames} />
        <p className="muted">
          {results.looks} daily look{results.looks === 1 ? '' : 's'} over{' '}
          {formatNumber(results.elapsedDays, 1, locale)} days · α = {results.alpha} · always-valid
          (sequential) p-values
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
          <IntervalChart results={results} currency={currency} names={variantNames} />
          <LiftChart results={results} timeZone={timeZone} names={variantNames} />
          <VariantTable results={results} currency={currency} names={variantNames} />
          <Differences
            sentences={[
              ...differencesAmong(['net_revenue', 'experiment_revenue_per_shopper']),
              ...differencesAmong(['paid_conversion', 'experiment_conversion']),
            ]}
          />
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

function Warnings({ results, names }: { results: Results; names: VariantNames }) {
  const breached = results.variants.filter((v) => v.guardrails.status === 'breached');
  return (
    <>
      {results.srm.status === 'mismatch' ? (
        <div className="warning" role="alert" data-testid="srm-warning">
          <strong>Sample ratio mismatch.</strong> Users per variant do not match the split in force when they
          were first exposed (p {formatPValue(results.srm.pValue)};{' '}
          {results.srm.arms
            .map(
              (a) =>
                `${nameOf(names, a.key)} ${formatCount(a.observed)} vs ${formatCount(a.expected)} expected`,
            )
            .join(', ')}
          ). Check assignment and exposure logging before trusting any number.
        </div>
      ) : null}
      {breached.map((v) => (
        <div className="warning" role="alert" key={v.key} data-testid="guardrail-warning">
          <strong>Guardrail breached by {nameOf(names, v.key)}:</strong>{' '}
          {v.guardrails.breached.join(', ').replaceAll('_', ' ')} significantly worse than control.
        </div>
      ))}
      {results.unknownVariants.length > 0 ? (
        <div className="warning">
          Exposures to variants this experiment does not define were ignored:{' '}
          {results.unknownVariants.map((k) => nameOf(names, k)).join(', ')}.
        </div>
      ) : null}
    </>
  );
}

/** "+12.3% (p 0.0012)": the lift over the holdout with its always-valid, Holm-adjusted p-value. */
function formatVsHoldout(
  c: { lift: number | null; adjustedPValue: number | null } | undefined,
  holdoutConversions: number,
) {
  if (!c) return '—';
  return `${formatSignedPercent(c.lift, 1, undefined, liftReason(c, holdoutConversions))} (p ${formatPValue(c.adjustedPValue)})`;
}

function VariantTable({
  results,
  currency,
  names,
}: {
  results: Results;
  currency: string;
  names: VariantNames;
}) {
  const { locale } = useDisplay();
  const holdout = results.holdout;
  const controlConversions = results.variants.find((v) => v.isControl)?.conversions ?? 0;
  return (
    <section className="card">
      <h3>Per variant</h3>
      <TableWrap label="Per variant">
        <table>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">
                Shoppers in the test
                <HowCalculated metric="experiment_shoppers" />
              </th>
              <th scope="col">
                Bought within the window
                <HowCalculated metric="experiment_conversion" />
              </th>
              <th scope="col">
                Revenue in the window
                <HowCalculated metric="experiment_revenue_per_shopper" />
              </th>
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
                  <th scope="row" title={`variant key: ${v.key}`}>
                    {nameOf(names, v.key)}
                    {v.isControl ? <span className="muted"> (control)</span> : null}
                  </th>
                  <td className="num">{formatCount(v.exposedUsers, locale)}</td>
                  <td className="num">{formatCount(v.conversions, locale)}</td>
                  <td className="num">{formatMoney(v.revenue, currency, locale)}</td>
                  <td className="num">
                    {c
                      ? formatSignedPercent(c.lift, 1, locale, liftReason(c, controlConversions))
                      : v.isControl
                        ? 'baseline'
                        : '—'}
                  </td>
                  <td className="num">{c ? formatPValue(c.adjustedPValue) : '—'}</td>
                  <td className="num">{c ? formatPercent(c.chanceToBeatControl, 0, locale) : '—'}</td>
                  <td>{GUARDRAIL_LABELS[v.guardrails.status] ?? v.guardrails.status}</td>
                  {holdout ? <td>{formatVsHoldout(primary?.vsHoldout, holdout.conversions)}</td> : null}
                </tr>
              );
            })}
            {holdout ? (
              <tr data-testid="holdout-row">
                <th scope="row">
                  Holdout ({formatPercent(holdout.share, 0, locale)} of shoppers, no variant)
                </th>
                <td className="num">{formatCount(holdout.exposedUsers, locale)}</td>
                <td className="num">{formatCount(holdout.conversions, locale)}</td>
                <td className="num">{formatMoney(holdout.revenue, currency, locale)}</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
