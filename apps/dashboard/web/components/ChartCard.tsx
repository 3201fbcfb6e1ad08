import { type ReactNode, useId, useState } from 'react';
import { downloadCsv } from '../lib/csv';
import { isMetricId } from '../lib/metrics';
import { displayCell, type TableModel, toCsvTable } from '../lib/table';
import { useDisplay } from '../lib/use-display';
import { HowCalculated } from './HowCalculated';
import { TableWrap } from './TableWrap';

/**
 * Every chart comes with its data as a table (for screen readers, and for anyone who wants the
 * numbers) and a CSV download of that same table (lib/table.ts: one model, two renderings).
 */
export function ChartCard<Row>({
  title,
  table,
  filename,
  children,
  description,
  level = 2,
}: {
  title: string;
  /** The heading's level: 2 under the page's h1, 3 inside a titled section (an experiment's results). */
  level?: 2 | 3;
  table: TableModel<Row>;
  filename: string;
  children: ReactNode;
  description?: ReactNode;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="card chart-card" aria-labelledby={headingId}>
      <header className="card-header">
        <Heading id={headingId} className="card-title">
          {title}
        </Heading>
        <div className="card-actions">
          <button
            type="button"
            className="link-button"
            aria-pressed={view === 'table'}
            onClick={() => setView(view === 'chart' ? 'table' : 'chart')}
          >
            {view === 'chart' ? 'Show table' : 'Show chart'}
          </button>
          <CsvButton table={table} filename={filename} />
        </div>
      </header>
      {description ? <p className="muted">{description}</p> : null}
      {view === 'chart' ? (
        // The chart is a picture of the table below: hidden from screen readers, and inert so none of
        // recharts' focusable parts takes a Tab stop that reads as nothing.
        <div className="chart" aria-hidden="true" inert>
          {children}
        </div>
      ) : null}
      {/* The table is always in the document for assistive technology; shown on request. */}
      <DataTable table={table} caption={title} visuallyHidden={view === 'chart'} />
    </section>
  );
}

export function CsvButton<Row>({ table, filename }: { table: TableModel<Row>; filename: string }) {
  return (
    <button type="button" className="link-button" onClick={() => downloadCsv(toCsvTable(table), filename)}>
      Download CSV
    </button>
  );
}

const NUMERIC = new Set(['count', 'number', 'money', 'ratio', 'ms']);

export function DataTable<Row>({
  table,
  caption,
  visuallyHidden = false,
  testId,
}: {
  table: TableModel<Row>;
  caption: string;
  visuallyHidden?: boolean;
  testId?: string;
}) {
  const ctx = useDisplay();
  // On screen, a currency column that only repeats the merchant's currency is noise (the CSV keeps it).
  const columns = table.columns.filter(
    (c) => !(c.id === 'currency' && table.rows.every((r) => c.value(r) === ctx.currency)),
  );
  const rendered = (
    <table data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.id} scope="col" className={NUMERIC.has(c.unit) ? 'num' : undefined}>
              {c.label}
              {/* A column named after a catalogue metric explains itself. */}
              {table.explain && isMetricId(c.id) ? <HowCalculated metric={c.id} label={c.label} /> : null}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <tr key={i}>
            {columns.map((c) => (
              <td key={c.id} className={NUMERIC.has(c.unit) ? 'num' : undefined}>
                {displayCell(table, c, row, ctx)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return visuallyHidden ? (
    <div className="visually-hidden">{rendered}</div>
  ) : (
    <TableWrap label={caption}>{rendered}</TableWrap>
  );
}
