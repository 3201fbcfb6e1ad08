import { expect, it } from 'vitest';
import { toCsv } from './csv';
import { col, displayCell, type TableModel, toCsvTable } from './table';

type Row = { day: string; currency: string; net: number; conversion: number | null; p50: number; at: number };

const table: TableModel<Row> = {
  columns: [
    col.date<Row>('day', 'Day', (r) => r.day),
    col.money<Row>('net_revenue', 'Revenue', (r) => r.net),
    col.ratio<Row>(
      'conversion',
      'Conversion',
      (r) => r.conversion,
      () => 'no sessions',
    ),
    col.ms<Row>('latency_p50', 'Median', (r) => r.p50),
    col.datetime<Row>('first_seen', 'First seen', (r) => r.at),
  ],
  rows: [
    { day: '2026-11-03', currency: 'USD', net: 22100, conversion: 0.243, p50: 8.356539726257324, at: 0 },
    { day: '2026-11-04', currency: 'GBP', net: -150, conversion: null, p50: 1200, at: 1_780_000_000_000 },
  ],
  currencyOf: (r) => r.currency,
};

it('exports machine values with unit-named headers and a currency column', () => {
  expect(toCsv(toCsvTable(table)).split('\r\n')).toEqual([
    'day,net_revenue_minor,conversion_ratio,latency_p50_ms,first_seen,currency',
    '2026-11-03,22100,0.243,8.356539726257324,1970-01-01T00:00:00.000Z,USD',
    '2026-11-04,-150,,1200,2026-05-28T20:26:40.000Z,GBP',
  ]);
});

it('shows the same cells formatted for people, with reasons for missing values', () => {
  const ctx = { locale: 'en-US', timeZone: 'UTC', currency: 'USD' };
  const [first, second] = table.rows as [Row, Row];
  const shown = (row: Row) => table.columns.map((c) => displayCell(table, c, row, ctx));
  expect(shown(first)).toEqual(['Nov 3, 2026', '$221.00', '24.3%', '8.4 ms', 'Jan 1, 1970, 12:00 AM']);
  expect(shown(second)).toEqual([
    'Nov 4, 2026',
    '-£1.50',
    'n/a (no sessions)',
    '1.2 s',
    'May 28, 2026, 8:26 PM',
  ]);
});
