/** A table as every chart's table view and CSV export share it: column headers and rows of cells. */
export type Table = {
  columns: string[];
  rows: (string | number | null)[][];
};

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @ at the start of text) are
 * prefixed with an apostrophe: transcripts and product names come from shoppers and merchants.
 */
export function toCsv(table: Table): string {
  const line = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');
  return [line(table.columns), ...table.rows.map(line)].join('\r\n');
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Starts a download of the table as a .csv file. */
export function downloadCsv(table: Table, filename: string) {
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
