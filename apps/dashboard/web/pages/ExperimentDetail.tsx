import { lazy, Suspense, useState } from 'react';
import { IdDetails } from '../components/IdDetails';
import { Link } from '../components/Link';
import { Speech } from '../components/Speech';
import { ErrorState, Loading } from '../components/states';
import { ApiError } from '../lib/api';
import { STATUS_LABELS, useExperiment, useExperimentHistory, useLifecycle } from '../lib/experiments';
import { formatDateTime, formatPercent, localeFor } from '../lib/format';
import { humanize, productLabel } from '../lib/labels';
import { useResults } from '../lib/results';
import { canWrite, useMe } from '../lib/session';
import { useTitle } from '../lib/title';
import NotFound from './NotFound';

// recharts is the heaviest dependency: it loads only when results are drawn.
const ResultsView = lazy(() => import('./ResultsView'));

export default function ExperimentDetail({ id }: { id: string }) {
  const me = useMe();
  const query = useExperiment(id);
  const missing = query.error instanceof ApiError && query.error.status === 404;
  useTitle(...(missing ? ['Page not found'] : [query.data?.experiment.name, 'Experiments']));
  const lifecycle = useLifecycle(id);
  const [shipKey, setShipKey] = useState('');
  const started = Boolean(query.data?.experiment.startedAt);
  const results = useResults(id, started);
  if (query.isPending) return <Loading />;
  // A mistyped or deleted experiment's link: the not-found page, not "Something went wrong".
  if (missing) return <NotFound />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const e = query.data.experiment;
  const tz = me.merchant.timezone;
  const locale = localeFor(me.merchant);
  const variantNames = Object.fromEntries(e.variants.map((v) => [v.key, v.name]));
  const nameOf = (key: string) => variantNames[key] ?? key;
  const writable = canWrite(me);
  const recommended =
    results.data?.results.verdict.decision === 'ship' ? results.data.results.verdict.variant : undefined;
  const chosen = shipKey || recommended || '';
  const act = (kind: 'start' | 'stop' | 'conclude', confirmText: string, shippedVariantKey?: string) => {
    if (window.confirm(confirmText))
      lifecycle.mutate({ kind, ...(shippedVariantKey ? { shippedVariantKey } : {}) });
  };
  return (
    <>
      <p>
        <Link to="/experiments">← Experiments</Link>
      </p>
      <div className="page-title">
        <h1>{e.name}</h1>
        <span className={`badge status-${e.status}`} data-testid="experiment-status">
          {STATUS_LABELS[e.status]}
        </span>
      </div>
      {e.hypothesis ? <p className="hypothesis">{e.hypothesis}</p> : null}
      <dl className="facts">
        <dt>Key</dt>
        <dd className="mono">{e.key}</dd>
        <dt>Scope</dt>
        <dd>
          {e.scope.kind === 'launch' ? (
            'Launch pitch'
          ) : e.scope.kind === 'category' ? (
            `Category “${e.scope.category}”`
          ) : (
            <>
              {productLabel({ ...e.scope, ...productNameOf(e) })}
              <IdDetails what="product id" id={e.scope.productId} />
            </>
          )}
        </dd>
        <dt>Primary metric</dt>
        <dd>{humanize(e.primaryMetric)}</dd>
        <dt>Guardrails</dt>
        <dd>{e.guardrailMetrics.length ? e.guardrailMetrics.map(humanize).join(', ') : 'none'}</dd>
        <dt>Mode</dt>
        <dd>
          {e.mode === 'bandit' ? `bandit (floor ${formatPercent(e.banditFloor, 0, locale)})` : 'fixed split'}
        </dd>
        <dt>Conversion window</dt>
        <dd>{e.conversionWindowHours} h</dd>
        <dt>Started</dt>
        <dd>{e.startedAt ? formatDateTime(e.startedAt, tz, locale) : 'not yet'}</dd>
        <dt>Stopped</dt>
        <dd>{e.stoppedAt ? formatDateTime(e.stoppedAt, tz, locale) : 'not yet'}</dd>
        {e.shippedVariantKey ? (
          <>
            <dt>Shipped</dt>
            <dd>
              {nameOf(e.shippedVariantKey)} <span className="muted mono">({e.shippedVariantKey})</span>
            </dd>
          </>
        ) : null}
      </dl>

      {writable ? (
        <div className="actions">
          {e.status === 'draft' || e.status === 'running' ? (
            <Link className="button" to={`/experiments/${e.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {e.status === 'draft' ? (
            <button
              type="button"
              className="primary"
              disabled={lifecycle.isPending}
              onClick={() => act('start', 'Start this experiment? Shoppers will begin hearing its variants.')}
            >
              Start
            </button>
          ) : null}
          {e.status === 'running' ? (
            <button
              type="button"
              className="danger"
              disabled={lifecycle.isPending}
              onClick={() =>
                act('stop', 'Stop this experiment? Everyone will hear the control pitch; it cannot restart.')
              }
            >
              Stop
            </button>
          ) : null}
          {e.status === 'running' && recommended ? (
            <button
              type="button"
              className="primary"
              disabled={lifecycle.isPending}
              onClick={async () => {
                if (!window.confirm(`Stop the experiment and ship “${nameOf(recommended)}” to everyone?`))
                  return;
                await lifecycle.mutateAsync({ kind: 'stop' });
                lifecycle.mutate({ kind: 'conclude', shippedVariantKey: recommended });
              }}
            >
              Stop and ship {nameOf(recommended)}
            </button>
          ) : null}
          {e.status === 'stopped' ? (
            <form
              className="inline"
              onSubmit={(ev) => {
                ev.preventDefault();
                if (chosen)
                  act('conclude', `Ship variant “${nameOf(chosen)}” and conclude the experiment?`, chosen);
              }}
            >
              <label>
                Ship variant{' '}
                <select value={chosen} onChange={(ev) => setShipKey(ev.target.value)} required>
                  <option value="">choose…</option>
                  {e.variants.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.name} ({v.key})
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="submit" className="primary" disabled={!chosen || lifecycle.isPending}>
                Conclude
              </button>
            </form>
          ) : null}
          {lifecycle.error ? (
            <p className="form-error" role="alert">
              {lifecycle.error.message}
            </p>
          ) : null}
        </div>
      ) : null}

      <h2>Variants</h2>
      <div className="variants">
        {e.variants.map((v) => (
          <section className="card" key={v.key}>
            <h3>
              {v.name} <span className="muted mono">{v.key}</span>
              {v.isControl ? <span className="badge">control</span> : null}
            </h3>
            <p className="muted">weight {v.weight}</p>
            <p className="template-text">
              <Speech ssml={v.template} />
            </p>
          </section>
        ))}
      </div>

      <h2>Results</h2>
      {e.startedAt ? (
        <Suspense fallback={<Loading label="Loading charts…" />}>
          <ResultsView id={e.id} currency={me.merchant.currency} timeZone={tz} variantNames={variantNames} />
        </Suspense>
      ) : (
        <p className="muted">Results appear once the experiment has started.</p>
      )}

      <History id={e.id} />
    </>
  );
}

/** The scoped product's name, when the API sends it beside the id (issue 12). */
function productNameOf(e: object): { name?: string } {
  const scope = (e as { scope?: { productName?: unknown; name?: unknown } }).scope;
  const name = scope?.productName ?? scope?.name ?? (e as { productName?: unknown }).productName;
  return typeof name === 'string' ? { name } : {};
}

function History({ id }: { id: string }) {
  const me = useMe();
  const history = useExperimentHistory(id);
  if (!history.data) return null;
  return (
    <details className="history">
      <summary>History ({history.data.history.length})</summary>
      <ol>
        {history.data.history.map((h) => (
          <li key={h.id}>
            {formatDateTime(h.at, me.merchant.timezone, localeFor(me.merchant))} — {humanize(h.action)}
            {h.actor ? ` by ${h.actor.email}` : ''}
          </li>
        ))}
      </ol>
    </details>
  );
}
