import { expect, it } from 'vitest';
import { toCsv } from './csv';

it('quotes separators, quotes and line breaks, and leaves plain cells bare', () => {
  const csv = toCsv({
    columns: ['variant', 'note'],
    rows: [
      ['a', 'plain'],
      ['b', 'has, comma'],
      ['c', 'say "hi"\nthen go'],
      ['d', null],
      ['e', 0.125],
    ],
  });
  expect(csv.split('\r\n')).toEqual([
    'variant,note',
    'a,plain',
    'b,"has, comma"',
    'c,"say ""hi""\nthen go"',
    'd,',
    'e,0.125',
  ]);
});

it('defuses cells a spreadsheet would evaluate as formulas, but not negative numbers', () => {
  const csv = toCsv({ columns: ['x'], rows: [['=HYPERLINK("http://evil")'], ['@SUM(A1)'], [-3], ['+1']] });
  expect(csv.split('\r\n').slice(1)).toEqual(['"\'=HYPERLINK(""http://evil"")"', "'@SUM(A1)", '-3', "'+1"]);
});

it('drops non-finite numbers rather than writing NaN into a spreadsheet', () => {
  expect(toCsv({ columns: ['x'], rows: [[Number.NaN], [Number.POSITIVE_INFINITY]] })).toBe('x\r\n\r\n');
});

it('defuses a formula behind leading spaces or tabs, which spreadsheets skip', () => {
  const csv = toCsv({
    columns: ['x'],
    rows: [[' =1+1'], ['\t@SUM(A1)'], ['  -2+3'], [' \t+CMD'], ['\tplain tab'], ['a = b'], [' plain']],
  });
  expect(csv.split('\r\n').slice(1)).toEqual([
    "' =1+1",
    "'\t@SUM(A1)",
    "'  -2+3",
    "' \t+CMD",
    "'\tplain tab",
    'a = b',
    ' plain',
  ]);
});
