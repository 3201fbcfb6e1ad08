import { expect, it } from 'vitest';
import {
  comparisonText,
  formatByUnit,
  formatCount,
  formatCountOf,
  formatDateTime,
  formatDuration,
  formatLocalDate,
  formatMoney,
  formatPercent,
  formatSignedPercent,
  localeFor,
} from './format';

it('writes money in the currency and the locale of the merchant, from minor units', () => {
  expect(formatMoney(22100, 'USD', 'en-US')).toBe('$221.00');
  expect(formatMoney(316500, 'USD', localeFor({ currency: 'USD' }))).toBe('$3,165.00');
  expect(formatMoney(1999, 'GBP', localeFor({ currency: 'GBP' }))).toBe('£19.99');
  expect(formatMoney(1500, 'JPY', 'ja-JP')).toMatch(/1,500/);
  expect(localeFor({ currency: 'EUR', locale: 'de-DE' })).toBe('de-DE');
});

it('writes durations with the unit that reads best', () => {
  expect(formatDuration(8.356539726257324)).toBe('8.4 ms');
  expect(formatDuration(0.2)).toBe('0.2 ms');
  expect(formatDuration(120.6)).toBe('121 ms');
  expect(formatDuration(1_234)).toBe('1.2 s');
  expect(formatDuration(14_400)).toBe('14 s');
  expect(formatDuration(180_000)).toBe('3 min');
  expect(formatDuration(7_500_000)).toBe('2 h 5 min');
});

it('never shows NaN, Infinity, undefined or null: "n/a", with the reason when given', () => {
  for (const bad of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    expect(formatMoney(bad, 'USD')).toBe('n/a');
    expect(formatCount(bad)).toBe('n/a');
    expect(formatPercent(bad)).toBe('n/a');
    expect(formatDuration(bad)).toBe('n/a');
  }
  expect(formatSignedPercent(null, 1, 'en-US', 'control has no conversions')).toBe(
    'n/a (control has no conversions)',
  );
  expect(formatDateTime('not a date', 'UTC')).toBe('n/a');
  expect(formatLocalDate('0000-00-00x')).toBe('n/a');
  expect(formatByUnit('ratio', Number.NaN, { currency: 'USD', reason: 'no sessions' })).toBe(
    'n/a (no sessions)',
  );
});

it('rounds ratios and counts for people', () => {
  expect(formatPercent(158 / 649)).toBe('24.3%');
  expect(formatSignedPercent(21.647)).toBe('+2,164.7%');
  expect(formatSignedPercent(-0.031)).toBe('-3.1%');
  expect(formatSignedPercent(0)).toBe('0.0%');
  expect(formatCount(1234.4)).toBe('1,234');
  expect(formatByUnit('milliseconds', 8.356, { currency: 'USD' })).toBe('8.4 ms');
  expect(formatLocalDate('2026-11-03')).toBe('Nov 3, 2026');
});

it('compares with the previous period only when it has at least half its days with data', () => {
  expect(comparisonText(110, 100, { days: 28, daysWithData: 2 })).toBe('previous period: 2 days of data');
  expect(comparisonText(110, 100, { days: 28, daysWithData: 0 })).toBe('previous period: no data');
  expect(comparisonText(110, 100, { days: 28, daysWithData: 14 })).toBe('+10.0% vs previous period');
  expect(comparisonText(5, 0, { days: 7, daysWithData: 7 })).toBe('n/a vs previous period: it was 0');
  expect(comparisonText(null, 3, { days: 7, daysWithData: 7 })).toBe('n/a vs previous period');
});

it('counts with the noun in the singular for exactly one', () => {
  const session = { one: 'session', plural: 'sessions' };
  expect(formatCountOf(1, session)).toBe('1 session');
  expect(formatCountOf(0, session)).toBe('0 sessions');
  expect(formatCountOf(339, session)).toBe('339 sessions');
  expect(formatCountOf(1234, session)).toBe('1,234 sessions');
});
