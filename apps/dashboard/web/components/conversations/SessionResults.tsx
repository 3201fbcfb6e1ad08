import { useId } from 'react';
import type { useSessionSearch } from '../../lib/analytics';
import { downloadCsv } from '../../lib/csv';
import { formatCount, formatDateTime, formatDuration, formatMoney, localeFor } from '../../lib/format';
import { exitReasonLabel, namedList, unnamed, variantKeyLabel } from '../../lib/labels';
import { figureOf } from '../../lib/metrics';
import { useMe } from '../../lib/session';
import { col, type TableModel, toCsvTable } from '../../lib/table';
import { HowCalculated } from '../HowCalculated';
import { Link } from '../Link';
import { Empty, ErrorState, Loading } from '../states';
import { TableWrap } from '../TableWrap';
import { OUTCOME_LABELS, shortId } from './session-labels';

export type SessionSearchQuery = ReturnType<typeof useSessionSearch>;
type SessionRow = NonNullable<SessionSearchQuery['data']>['pages'][number]['data']['sessions'][number];

function revenueText(r: SessionRow['revenue'], locale: string): string {
  if (r.length === 0) return '—';
  return r
    .map(
      (m) =>
        `${formatMoney(m.amount, m.currency, locale)}${m.refunded ? ` (${formatMoney(m.refunded, m.currency, locale)} refunded)` : ''}`,
    )
    .join(', ');
}

/** Products by name when the API sends them (`productsTouchedNamed`, issue 12), else a short neutral label. */
function productsText(r: SessionRow): string {
  const names = namedList(r, 'productsTouchedNamed');
  if (names) return names.join(', ');
  return r.productsTouched.length ? r.productsTouched.map((p) => unnamed('Product', p)).join(', ') : '—';
}

/**
 * The loaded rows as CSV, in the table convention (lib/table.ts): ISO times, minor units with their
 * currency, ids in full. One value per cell: a session paid in two currencies has one row per currency.
 */
type CsvRow = SessionRow & { money?: SessionRow['revenue'][number] };
const csvTable = (rows: SessionRow[]): TableModel<CsvRow> => ({
  columns: [
    col.text<CsvRow>('session_id', 'Session id', (r) => r.sessionId),
    col.datetime<CsvRow>('started_at', 'Started', (r) => r.startedAt),
    col.ms<CsvRow>('duration', 'Duration', (r) => r.durationMs),
    col.count<CsvRow>('turns', 'Turns', (r) => r.turns),
    col.text<CsvRow>('outcome', 'Outcome', (r) => r.outcome),
    col.money<CsvRow>('revenue', 'Revenue', (r) => r.money?.amount ?? null),
    col.money<CsvRow>('refunded', 'Refunded', (r) => r.money?.refunded ?? null),
    col.text<CsvRow>('currency', 'Currency', (r) => r.money?.currency ?? null),
    col.text<CsvRow>('variants_heard', 'Variants heard', (r) => r.variantsHeard.join(' ')),
    col.text<CsvRow>('product_ids', 'Products touched', (r) => r.productsTouched.join(' ')),
    col.text<CsvRow>('locale', 'Locale', (r) => r.locale),
    col.text<CsvRow>('device', 'Device', (r) => r.device),
    col.text<CsvRow>('end_reason', 'End reason', (r) => r.endReason),
  ],
  rows: rows.flatMap((r) => (r.revenue.length === 0 ? [r] : r.revenue.map((money) => ({ ...r, money })))),
});

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
  const me = useMe();
  const locale = localeFor(me.merchant);
  if (query.isPending) return <Loading label="Searching sessions…" />;
  if (query.error && !query.data)
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const rows = query.data.pages.flatMap((p) => p.data.sessions);
  // How many sessions match in all, when the API says (its `sessions` figure or a `total`).
  const first = query.data.pages[0]?.data;
  const told = figureOf(first, 'sessions')?.value ?? (first as { total?: unknown } | undefined)?.total;
  const total = typeof told === 'number' && Number.isFinite(told) ? told : undefined;
  if (rows.length === 0)
    return <Empty title="No sessions match">Try other words, fewer filters, or a wider date range.</Empty>;
  return (
    <>
      <div className="card-actions">
        <span className="muted" aria-live="polite">
          {total !== undefined ? (
            <>
              {formatCount(total, locale)} session{total === 1 ? '' : 's'} match
              <HowCalculated metric="sessions" />
              {query.hasNextPage ? ` · ${formatCount(rows.length, locale)} shown, more to load` : ''}
            </>
          ) : (
            <>
              {formatCount(rows.length, locale)} session{rows.length === 1 ? '' : 's'}
              {query.hasNextPage ? ' shown, more to load' : ''}
            </>
          )}
        </span>
        <button
          type="button"
          className="link-button"
          onClick={() => downloadCsv(toCsvTable(csvTable(rows)), 'sessions')}
        >
          Download CSV
        </button>
      </div>
      <TableWrap label="Sessions">
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
                <td>{formatDateTime(r.startedAt, timeZone, locale)}</td>
                <td className="num">{formatDuration(r.durationMs)}</td>
                <td className="num">{formatCount(r.turns, locale)}</td>
                <td>{OUTCOME_LABELS[r.outcome]}</td>
                <td className="num">{revenueText(r.revenue, locale)}</td>
                <td>
                  {(namedList(r, 'variantsHeardNamed') ?? r.variantsHeard.map(variantKeyLabel)).join(', ') ||
                    '—'}
                </td>
                <td>{productsText(r)}</td>
                <td>{r.locale || '—'}</td>
                <td>{r.device || '—'}</td>
                <td>{r.endReason ? exitReasonLabel(r.endReason) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
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
