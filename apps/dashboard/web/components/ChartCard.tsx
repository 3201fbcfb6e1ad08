import { type ReactNode, useId, useState } from 'react';
import { downloadCsv, type Table } from '../lib/csv';

/**
 * Every chart comes with its data as a table (for screen readers, and for anyone who wants the
 * numbers) and a CSV download of that same table.
 */
export function ChartCard({
  title,
  table,
  filename,
  children,
  description,
}: {
  title: string;
  table: Table;
  filename: string;
  children: ReactNode;
  description?: string;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  return (
    <section className="card chart-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h3 id={headingId}>{title}</h3>
        <div className="card-actions">
          <button
            type="button"
            className="link-button"
            aria-pressed={view === 'table'}
            onClick={() => setView(view === 'chart' ? 'table' : 'chart')}
          >
            {view === 'chart' ? 'Show table' : 'Show chart'}
          </button>
          <button type="button" className="link-button" onClick={() => downloadCsv(table, filename)}>
            Download CSV
          </button>
        </div>
      </header>
      {description ? <p className="muted">{description}</p> : null}
      {view === 'chart' ? (
        <div className="chart" aria-hidden="true">
          {children}
        </div>
      ) : null}
      {/* The table is always in the document for assistive technology; shown on request. */}
      <DataTable table={table} caption={title} visuallyHidden={view === 'chart'} />
    </section>
  );
}

export function DataTable({
  table,
  caption,
  visuallyHidden = false,
}: {
  table: Table;
  caption: string;
  visuallyHidden?: boolean;
}) {
  return (
    <div className={visuallyHidden ? 'visually-hidden' : 'table-wrap'}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
            <tr key={i}>
              {row.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <td key={j}>{cell ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
