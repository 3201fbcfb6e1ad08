import type { CsvTable } from './csv';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatLocalDate,
  formatMoney,
  formatNumber,
  formatPercent,
  NOT_AVAILABLE,
} from './format';

/*
 * One table model for the screen and the CSV, so a table cannot say one thing and export another.
 * Cells hold machine values; the column's unit decides how the screen shows them (lib/format.ts) and
 * what the CSV writes:
 *
 *   unit        cell value                  screen            CSV value             CSV header
 *   text        string                      as is             as is                 id
 *   count       number                      "1,234"           1234                  id
 *   number      number                      "2.5"             2.5                   id
 *   money       integer minor units         "$221.00"         22100                 id + "_minor"
 *   ratio       fraction                    "24.3%"           0.243                 id + "_ratio"
 *   ms          milliseconds                "8.4 ms"          8.356                 id + "_ms"
 *   date        YYYY-MM-DD (local day)      "Nov 3, 2026"     2026-11-03            id
 *   datetime    ISO instant or epoch ms     "Nov 3, 2026, 9:15 AM" (zone)  ISO 8601 UTC  id
 *
 * A table with money columns says its currency in a `currency` column: its own (`currencyOf`) or,
 * when every row shares one, the table's.
 */

export type Unit = 'text' | 'count' | 'number' | 'money' | 'ratio' | 'ms' | 'date' | 'datetime';
export type CellValue = string | number | null | undefined;

export type Column<Row> = {
  /** Machine name: the CSV header (with the unit's suffix). Lower snake case. */
  id: string;
  /** What a person reads as the column's header. */
  label: string;
  unit: Unit;
  value(row: Row): CellValue;
  /** Shown for a missing value instead of a bare "n/a", when the reason is known. */
  reason?(row: Row): string | undefined;
};

export type TableModel<Row> = {
  columns: Column<Row>[];
  rows: Row[];
  /** Each row's currency (money columns); defaults to `currency`. */
  currencyOf?(row: Row): string;
  currency?: string;
  /**
   * Columns named after a catalogue metric show "how is this calculated" beside their header. Only
   * tables whose columns are those metrics set this (a "sessions" column of a breakdown is a part).
   */
  explain?: boolean;
};

export type DisplayContext = { locale: string; timeZone: string; currency: string };

const SUFFIX: Partial<Record<Unit, string>> = { money: '_minor', ratio: '_ratio', ms: '_ms' };

export const csvHeader = (column: { id: string; unit: Unit }) =>
  column.id.endsWith(SUFFIX[column.unit] ?? '\u0000')
    ? column.id
    : `${column.id}${SUFFIX[column.unit] ?? ''}`;

/** Builders for the usual columns, so the names and units stay uniform across pages. */
export const col = {
  text: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'text',
    value,
  }),
  count: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'count',
    value,
  }),
  number: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'number',
    value,
  }),
  money: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'money',
    value,
  }),
  ratio: <Row>(
    id: string,
    label: string,
    value: (r: Row) => CellValue,
    reason?: (r: Row) => string | undefined,
  ): Column<Row> => ({ id, label, unit: 'ratio', value, ...(reason ? { reason } : {}) }),
  ms: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'ms',
    value,
  }),
  date: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'date',
    value,
  }),
  datetime: <Row>(id: string, label: string, value: (r: Row) => CellValue): Column<Row> => ({
    id,
    label,
    unit: 'datetime',
    value,
  }),
};

const finite = (v: CellValue): v is number => typeof v === 'number' && Number.isFinite(v);

function rowCurrency<Row>(table: TableModel<Row>, row: Row): string {
  return table.currencyOf?.(row) ?? table.currency ?? '';
}

/** A cell as a person reads it. Never "NaN", "undefined" or a 14-decimal number. */
export function displayCell<Row>(
  table: TableModel<Row>,
  column: Column<Row>,
  row: Row,
  ctx: DisplayContext,
): string {
  const v = column.value(row);
  const reason = column.reason?.(row);
  if (v === null || v === undefined || v === '')
    return reason ? `${NOT_AVAILABLE} (${reason})` : NOT_AVAILABLE;
  switch (column.unit) {
    case 'text':
      return String(v);
    case 'count':
      return typeof v === 'number' ? formatCount(v, ctx.locale, reason) : String(v);
    case 'number':
      return typeof v === 'number' ? formatNumber(v, 2, ctx.locale, reason) : String(v);
    case 'money':
      return typeof v === 'number'
        ? formatMoney(v, rowCurrency(table, row) || ctx.currency, ctx.locale, reason)
        : String(v);
    case 'ratio':
      return typeof v === 'number' ? formatPercent(v, 1, ctx.locale, reason) : String(v);
    case 'ms':
      return typeof v === 'number' ? formatDuration(v, reason) : String(v);
    case 'date':
      return formatLocalDate(String(v), ctx.locale);
    case 'datetime':
      return formatDateTime(v, ctx.timeZone, ctx.locale, reason);
  }
}

function csvValue(unit: Unit, v: CellValue): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && !finite(v)) return null;
  switch (unit) {
    case 'money':
      return typeof v === 'number' ? Math.round(v) : v;
    case 'datetime': {
      const date = new Date(v);
      return Number.isFinite(date.getTime()) ? date.toISOString() : null;
    }
    default:
      return v;
  }
}

/** The table as machine values for a spreadsheet (see the convention above). */
export function toCsvTable<Row>(table: TableModel<Row>): CsvTable {
  const hasMoney = table.columns.some((c) => c.unit === 'money');
  const hasCurrency = table.columns.some((c) => c.id === 'currency');
  const addCurrency = hasMoney && !hasCurrency;
  return {
    columns: [...table.columns.map(csvHeader), ...(addCurrency ? ['currency'] : [])],
    rows: table.rows.map((row) => [
      ...table.columns.map((c) => csvValue(c.unit, c.value(row))),
      ...(addCurrency ? [rowCurrency(table, row) || null] : []),
    ]),
  };
}
