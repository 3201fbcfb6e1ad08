/** Raw CSV input: header names and rows of machine values (lib/table.ts builds these from a table model). */
export type CsvTable = {
  columns: string[];
  rows: (string | number | null)[][];
};

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @ at the start of text, also
 * after leading spaces or tabs, which spreadsheets skip) are prefixed with an apostrophe: transcripts and
 * product names come from shoppers and merchants.
 */
export function toCsv(table: CsvTable): string {
  const line = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');
  return [line(table.columns), ...table.rows.map(line)].join('\r\n');
}

const FORMULA_START = /^[ \t\r\n]*[=+\-@]|^[\t\r]/;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Starts a download of the table as a .csv file. */
export function downloadCsv(table: CsvTable, filename: string) {
  const blob = new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename.endsWith('.csv') ? filename : `${filename}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
