import { type FormEvent, useId, useState } from 'react';
import { Link } from '../components/Link';
import { Empty, ErrorState, Loading } from '../components/states';
import {
  criteriaParams,
  EMPTY_CRITERIA,
  SESSION_OUTCOMES,
  type SessionCriteria,
  useSessionSearch,
  useTranscript,
} from '../lib/analytics';
import { ApiError } from '../lib/api';
import { downloadCsv, type Table } from '../lib/csv';
import { formatDateTime, formatMinor } from '../lib/format';
import { useRange } from '../lib/range-context';
import { navigate } from '../lib/router';
import { useMe } from '../lib/session';

type TranscriptData = NonNullable<ReturnType<typeof useTranscript>['data']>['data'];
type TranscriptEvent = TranscriptData['afterDialog'][number];

/** SSML as a reader sees it: the words, without the markup. */
function spoken(ssml: string): string {
  return ssml
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function describeEvent(e: TranscriptEvent): string {
  const parts: string[] = [e.type];
  if (e.experimentKey) parts.push(`${e.experimentKey}:${e.variantKey ?? '?'}`);
  if (e.productId) parts.push(`${e.quantity ?? 1} × ${e.productId}`);
  if (e.orderId) parts.push(`order ${e.orderId}`);
  if (e.amount !== undefined && e.currency) parts.push(formatMinor(e.amount, e.currency));
  else if (e.unitAmount !== undefined && e.currency)
    parts.push(`at ${formatMinor(e.unitAmount, e.currency)}`);
  if (e.failureCode) parts.push(`failed: ${e.failureCode}`);
  return parts.join(' · ');
}

export default function Conversations({ sessionId }: { sessionId?: string }) {
  const [typed, setTyped] = useState(sessionId ?? '');
  const open = (e: FormEvent) => {
    e.preventDefault();
    const id = typed.trim();
    if (id) navigate(`/conversations/${encodeURIComponent(id)}`);
  };
  return (
    <>
      <h1>Conversations</h1>
      <form className="form-row" onSubmit={open} aria-label="Open a session">
        <label>
          Session id{' '}
          <input
            className="mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="amzn1.echo-api.session…"
            size={44}
            data-testid="session-id"
          />
        </label>
        <button type="submit">Open transcript</button>
      </form>
      {sessionId ? (
        <>
          <p>
            <Link to={`/conversations${searchFromUrl()}`}>← Back to the session search</Link>
          </p>
          <TranscriptView sessionId={sessionId} />
        </>
      ) : (
        <SessionSearch />
      )}
    </>
  );
}

const OUTCOME_LABELS: Record<(typeof SESSION_OUTCOMES)[number], string> = {
  paid: 'Paid',
  'ordered-not-paid': 'Ordered, not paid',
  'cart-abandoned': 'Cart abandoned',
  'no-cart': 'No cart',
};

/*
 * The applied search lives in the address (?q=…&outcome=…), so opening a transcript and coming back,
 * reloading, or sharing the link shows the same sessions. The date range is the global one.
 */
let lastSearch = '';

function searchFromUrl(): string {
  return window.location.pathname === '/conversations' ? window.location.search : lastSearch;
}

function criteriaFromUrl(): SessionCriteria {
  const params = new URLSearchParams(window.location.search);
  const c = { ...EMPTY_CRITERIA };
  for (const key of Object.keys(c) as (keyof SessionCriteria)[]) {
    const v = params.get(key);
    if (v !== null) (c as Record<string, string>)[key] = v;
  }
  if (c.outcome && !(SESSION_OUTCOMES as readonly string[]).includes(c.outcome)) c.outcome = '';
  if (c.device !== '' && c.device !== 'screen' && c.device !== 'voice') c.device = '';
  return c;
}

function writeCriteriaToUrl(c: SessionCriteria) {
  const search = new URLSearchParams(criteriaParams(c)).toString();
  lastSearch = search ? `?${search}` : '';
  window.history.replaceState(null, '', `/conversations${lastSearch}`);
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function SessionSearch() {
  const { range, timeZone } = useRange();
  const [draft, setDraft] = useState<SessionCriteria>(criteriaFromUrl);
  const [applied, setApplied] = useState<SessionCriteria>(draft);
  const query = useSessionSearch({ ...range, tz: timeZone }, applied);
  const filtersId = useId();
  const set = <K extends keyof SessionCriteria>(key: K, value: SessionCriteria[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
    writeCriteriaToUrl(draft);
  };
  const reset = () => {
    setDraft(EMPTY_CRITERIA);
    setApplied(EMPTY_CRITERIA);
    writeCriteriaToUrl(EMPTY_CRITERIA);
  };
  const moreOpen = Boolean(draft.variant || draft.productId || draft.locale);

  return (
    <section className="card" aria-labelledby={`${filtersId}-title`}>
      <header className="card-header">
        <h2 id={`${filtersId}-title`}>Find sessions</h2>
      </header>
      <p className="muted">
        Sessions that started from {range.from} to {range.to} ({timeZone}), newest first. The text matches
        what the shopper said (intents and slot values), what Alexa said, or an exact session id.
      </p>
      <form className="form-row" onSubmit={submit} aria-label="Session search filters">
        <span>
          <label htmlFor={`${filtersId}-q`}>Search sessions</label>{' '}
          <input
            id={`${filtersId}-q`}
            type="search"
            value={draft.q}
            maxLength={200}
            onChange={(e) => set('q', e.target.value)}
            placeholder="oat milk, AddToCartIntent, …"
            size={28}
            data-testid="session-search"
          />
        </span>
        <span>
          <label htmlFor={`${filtersId}-outcome`}>Outcome</label>{' '}
          <select
            id={`${filtersId}-outcome`}
            value={draft.outcome}
            onChange={(e) => set('outcome', e.target.value as SessionCriteria['outcome'])}
          >
            <option value="">Any outcome</option>
            {SESSION_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={`${filtersId}-device`}>Device</label>{' '}
          <select
            id={`${filtersId}-device`}
            value={draft.device}
            onChange={(e) => set('device', e.target.value as SessionCriteria['device'])}
          >
            <option value="">Any device</option>
            <option value="screen">With a screen</option>
            <option value="voice">Voice only</option>
          </select>
        </span>
        <span>
          <label htmlFor={`${filtersId}-minTurns`}>Min turns</label>{' '}
          <input
            id={`${filtersId}-minTurns`}
            type="number"
            min={0}
            max={100000}
            step={1}
            value={draft.minTurns}
            onChange={(e) => set('minTurns', e.target.value)}
            style={{ width: '5em' }}
          />
        </span>
        <details open={moreOpen}>
          <summary>More filters</summary>
          <div className="form-row">
            <span>
              <label htmlFor={`${filtersId}-variant`}>Variant heard</label>{' '}
              <input
                id={`${filtersId}-variant`}
                value={draft.variant}
                maxLength={201}
                onChange={(e) => set('variant', e.target.value)}
                placeholder="experiment:variant"
                size={20}
              />
            </span>
            <span>
              <label htmlFor={`${filtersId}-productId`}>Product id</label>{' '}
              <input
                id={`${filtersId}-productId`}
                className="mono"
                value={draft.productId}
                maxLength={36}
                onChange={(e) => set('productId', e.target.value)}
                size={36}
              />
            </span>
            <span>
              <label htmlFor={`${filtersId}-locale`}>Locale</label>{' '}
              <input
                id={`${filtersId}-locale`}
                value={draft.locale}
                maxLength={35}
                onChange={(e) => set('locale', e.target.value)}
                placeholder="en-US"
                size={6}
              />
            </span>
          </div>
        </details>
        <button type="submit">Search</button>
        <button type="button" className="link-button" onClick={reset}>
          Clear filters
        </button>
      </form>
      <SessionResults query={query} timeZone={timeZone} />
    </section>
  );
}

type SearchQuery = ReturnType<typeof useSessionSearch>;
type SessionRow = NonNullable<SearchQuery['data']>['pages'][number]['data']['sessions'][number];

function revenueText(r: SessionRow['revenue']): string {
  if (r.length === 0) return '—';
  return r
    .map(
      (m) =>
        `${formatMinor(m.amount, m.currency)}${m.refunded ? ` (${formatMinor(m.refunded, m.currency)} refunded)` : ''}`,
    )
    .join(', ');
}

/** The loaded rows as CSV: raw values (ISO times, minor units) for spreadsheets, not display text. */
function csvTable(rows: SessionRow[]): Table {
  const one = (xs: number[]) => (xs.length === 0 ? null : xs.length === 1 ? (xs[0] as number) : xs.join(' '));
  return {
    columns: [
      'Session id',
      'Started (UTC)',
      'Duration (s)',
      'Turns',
      'Outcome',
      'Revenue (minor units)',
      'Refunded (minor units)',
      'Currency',
      'Variants heard',
      'Products touched',
      'Locale',
      'Device',
      'End reason',
    ],
    rows: rows.map((r) => [
      r.sessionId,
      new Date(r.startedAt).toISOString(),
      Math.round(r.durationMs / 1000),
      r.turns,
      r.outcome,
      one(r.revenue.map((m) => m.amount)),
      one(r.revenue.map((m) => m.refunded)),
      r.revenue.map((m) => m.currency).join(' ') || null,
      r.variantsHeard.join(' '),
      r.productsTouched.join(' '),
      r.locale,
      r.device,
      r.endReason,
    ]),
  };
}

function SessionResults({ query, timeZone }: { query: SearchQuery; timeZone: string }) {
  const captionId = useId();
  if (query.isPending) return <Loading label="Searching sessions…" />;
  if (query.error && !query.data)
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const rows = query.data.pages.flatMap((p) => p.data.sessions);
  if (rows.length === 0)
    return <Empty title="No sessions match">Try other words, fewer filters, or a wider date range.</Empty>;
  return (
    <>
      <div className="card-actions">
        <span className="muted" aria-live="polite">
          {rows.length} session{rows.length === 1 ? '' : 's'}
          {query.hasNextPage ? ' shown, more to load' : ''}
        </span>
        <button type="button" className="link-button" onClick={() => downloadCsv(csvTable(rows), 'sessions')}>
          Download CSV
        </button>
      </div>
      <div className="table-wrap">
        <table data-testid="session-results" aria-describedby={captionId}>
          <caption id={captionId} className="visually-hidden">
            Sessions matching the search, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Turns</th>
              <th scope="col">Outcome</th>
              <th scope="col">Revenue</th>
              <th scope="col">Variants heard</th>
              <th scope="col">Products</th>
              <th scope="col">Locale</th>
              <th scope="col">Device</th>
              <th scope="col">End reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.sessionId}>
                <th scope="row" className="mono" style={{ whiteSpace: 'nowrap' }}>
                  <Link to={`/conversations/${encodeURIComponent(r.sessionId)}`} title={r.sessionId}>
                    {shortId(r.sessionId)}
                  </Link>
                </th>
                <td>{formatDateTime(r.startedAt, timeZone)}</td>
                <td>{formatDuration(r.durationMs)}</td>
                <td>{r.turns}</td>
                <td>{OUTCOME_LABELS[r.outcome]}</td>
                <td>{revenueText(r.revenue)}</td>
                <td>{r.variantsHeard.join(', ') || '—'}</td>
                <td className="mono">
                  {r.productsTouched.length ? r.productsTouched.map(shortId).join(', ') : '—'}
                </td>
                <td>{r.locale || '—'}</td>
                <td>{r.device || '—'}</td>
                <td>{r.endReason || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.error ? <ErrorState error={query.error} retry={() => void query.fetchNextPage()} /> : null}
      {query.hasNextPage ? (
        <div className="form-row">
          <button
            type="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}

/** Alexa session ids share a long prefix; the tail tells them apart (the full id is the link's title). */
function shortId(id: string): string {
  const tail = id.replace(/^amzn1\.echo-api\.session\./, '');
  return tail.length > 18 ? `…${tail.slice(-12)}` : tail;
}

function TranscriptView({ sessionId }: { sessionId: string }) {
  const me = useMe();
  const tz = me.merchant.timezone;
  const query = useTranscript(sessionId);
  if (query.isPending) return <Loading label="Loading the transcript…" />;
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404)
      return <Empty title="No such session">No session of this merchant has the id {sessionId}.</Empty>;
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  const t = query.data.data;
  return (
    <section className="card transcript" aria-label="Transcript" data-testid="transcript">
      <h2 className="mono">{t.sessionId}</h2>
      <dl className="facts">
        <dt>User</dt>
        <dd className="mono">{t.userId}</dd>
        <dt>Locale</dt>
        <dd>
          {t.locale}
          {t.hasScreen ? ' · screen' : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(t.startedAt, tz)}</dd>
        <dt>Ended</dt>
        <dd>
          {formatDateTime(t.endedAt, tz)}
          {t.endReason ? ` (${t.endReason})` : ''}
        </dd>
        <dt>Pitch variants heard</dt>
        <dd>{t.variantsHeard.length ? t.variantsHeard.join(', ') : 'none'}</dd>
      </dl>
      {t.turns.length === 0 ? (
        <Empty title="No turns recorded for this session" />
      ) : (
        <ol className="turns">
          {t.turns.map((turn, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are in order and may share a timestamp
            <li key={i} className="turn" data-testid="turn">
              <div className="muted">
                {formatDateTime(turn.ts, tz)} · {turn.requestType} · {turn.latencyMs} ms
              </div>
              <div className="shopper">
                <strong>Shopper:</strong> {turn.intent || turn.requestType}
                {turn.slots.length ? (
                  <span className="muted">
                    {' '}
                    (
                    {turn.slots
                      .map(
                        (s) =>
                          `${s.name}="${s.value}"${s.resolvedValue && s.resolvedValue !== s.value ? ` → ${s.resolvedValue}` : ''}${s.resolution && s.resolution !== 'ER_SUCCESS_MATCH' ? ` [${s.resolution}]` : ''}`,
                      )
                      .join(', ')}
                    )
                  </span>
                ) : null}
              </div>
              {turn.speech ? (
                <div className="alexa">
                  <strong>Alexa:</strong> {spoken(turn.speech)}
                  {turn.reprompt ? <span className="muted"> (reprompt: {spoken(turn.reprompt)})</span> : null}
                </div>
              ) : null}
              {turn.error ? <div className="error-text">Error: {turn.error}</div> : null}
              {turn.events.length ? (
                <ul className="turn-events">
                  {turn.events.map((e, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: events are in order
                    <li key={j}>{describeEvent(e)}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {t.afterDialog.length ? (
        <>
          <h3>After the dialog</h3>
          <ul className="turn-events">
            {t.afterDialog.map((e, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events are in order
              <li key={j}>
                {formatDateTime(e.ts, tz)} · {describeEvent(e)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
