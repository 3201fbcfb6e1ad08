import { useId } from 'react';
import type { useSessionSearch } from '../../lib/analytics';
import { downloadCsv, type Table } from '../../lib/csv';
import { formatDateTime, formatMinor } from '../../lib/format';
import { Link } from '../Link';
import { Empty, ErrorState, Loading } from '../states';
import { formatDuration, OUTCOME_LABELS, shortId } from './session-labels';

export type SessionSearchQuery = ReturnType<typeof useSessionSearch>;
type SessionRow = NonNullable<SessionSearchQuery['data']>['pages'][number]['data']['sessions'][number];

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

/** The sessions found, newest first, a page at a time; each links to its transcript. */
export function SessionResults({
  query,
  timeZone,
  transcriptPath,
}: {
  query: SessionSearchQuery;
  timeZone: string;
  transcriptPath(sessionId: string): string;
}) {
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
                  <Link to={transcriptPath(r.sessionId)} title={r.sessionId}>
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
