/*
 * The one place numbers and dates become text. Every function is total: null, undefined, NaN and
 * ±Infinity never reach the screen, they read "n/a" (with the reason when one is known). Amounts are
 * integer minor units as everywhere in Pitchline; ratios are fractions (0.243 is 24.3%); durations are
 * milliseconds. Pages pass the merchant's locale (`localeFor`), so every viewer reads the same text.
 */

export const NOT_AVAILABLE = 'n/a';

/** A value that may be missing or not a finite number (NaN and Infinity travel as null in JSON). */
export type Maybe = number | null | undefined;

const isNumber = (v: Maybe): v is number => typeof v === 'number' && Number.isFinite(v);

/** "n/a", or "n/a (reason)". */
export function notAvailable(reason?: string | null): string {
  return reason ? `${NOT_AVAILABLE} (${reason})` : NOT_AVAILABLE;
}

/*
 * The merchant has a currency but no locale of its own: the locale that currency is usually written in
 * gives "$1,234.50" for USD and "£1,234.50" for GBP to every viewer alike.
 */
const CURRENCY_LOCALES: Record<string, string> = {
  USD: 'en-US',
  GBP: 'en-GB',
  EUR: 'en-IE',
  CAD: 'en-CA',
  AUD: 'en-AU',
  NZD: 'en-NZ',
  INR: 'en-IN',
  JPY: 'ja-JP',
  CHF: 'de-CH',
  SEK: 'sv-SE',
  BRL: 'pt-BR',
  MXN: 'es-MX',
};

export function localeFor(merchant: { currency: string; locale?: string | null }): string {
  return merchant.locale || CURRENCY_LOCALES[merchant.currency.toUpperCase()] || 'en-US';
}

const DEFAULT_LOCALE = 'en-US';

function currencyFormat(currency: string, locale: string): Intl.NumberFormat | null {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    return null;
  }
}

/** The number of minor units in one major unit of a currency (2 for USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return currencyFormat(currency, DEFAULT_LOCALE)?.resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units, in its currency: 22100 USD → "$221.00". */
export function formatMoney(
  minor: Maybe,
  currency: string,
  locale = DEFAULT_LOCALE,
  reason?: string,
): string {
  if (!isNumber(minor)) return notAvailable(reason);
  const format = currencyFormat(currency, locale);
  if (!format) return `${formatCount(minor, locale)} ${currency} (minor units)`;
  return format.format(minor / 10 ** minorDigits(currency));
}

/** A whole count with the locale's grouping: 1234 → "1,234". Fractions are rounded. */
export function formatCount(n: Maybe, locale = DEFAULT_LOCALE, reason?: string): string {
  if (!isNumber(n)) return notAvailable(reason);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** A count and its noun, singular for exactly one: "1 session", "1,234 sessions". */
export function formatCountOf(
  n: number,
  noun: { one: string; plural: string },
  locale = DEFAULT_LOCALE,
): string {
  return `${formatCount(n, locale)} ${n === 1 ? noun.one : noun.plural}`;
}

/** A plain number with at most `digits` decimals (a median of turns, an interval bound). */
export function formatNumber(n: Maybe, digits = 1, locale = DEFAULT_LOCALE, reason?: string): string {
  if (!isNumber(n)) return notAvailable(reason);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
}

/** A ratio as a percentage: 0.2431 → "24.3%". */
export function formatPercent(ratio: Maybe, digits = 1, locale = DEFAULT_LOCALE, reason?: string): string {
  if (!isNumber(ratio)) return notAvailable(reason);
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(ratio);
}

/** A relative change with its sign: 0.125 → "+12.5%", −0.03 → "−3.0%". */
export function formatSignedPercent(
  ratio: Maybe,
  digits = 1,
  locale = DEFAULT_LOCALE,
  reason?: string,
): string {
  if (!isNumber(ratio)) return notAvailable(reason);
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    signDisplay: 'exceptZero',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(ratio);
}

/** A p-value: "0.0123", "< 0.0001". */
export function formatPValue(p: Maybe, reason?: string): string {
  if (!isNumber(p)) return notAvailable(reason);
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/**
 * A duration in milliseconds, with the unit that reads best and two or three significant digits:
 * "0.4 ms", "8.4 ms", "120 ms", "1.2 s", "14 s", "3 min", "2 h 5 min".
 */
export function formatDuration(ms: Maybe, reason?: string): string {
  if (!isNumber(ms) || ms < 0) return notAvailable(reason);
  if (ms < 10) return `${trim(ms.toFixed(1))} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = ms / 1_000;
  if (s < 10) return `${trim(s.toFixed(1))} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const trim = (fixed: string) => fixed.replace(/\.0$/, '');

function validDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isFinite(date.getTime()) ? date : null;
}

/** A timestamp in the given zone, so every viewer reads the same wall-clock time. */
export function formatDateTime(
  value: string | number | Date | null | undefined,
  timeZone: string,
  locale = DEFAULT_LOCALE,
  reason?: string,
): string {
  const date = validDate(value);
  if (!date) return notAvailable(reason);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** A day label ("Nov 3") of an instant in the given zone. */
export function formatDay(
  value: string | number | Date | null | undefined,
  timeZone: string,
  locale = DEFAULT_LOCALE,
): string {
  const date = validDate(value);
  if (!date) return notAvailable();
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone }).format(date);
}

/** A local calendar date (YYYY-MM-DD) as words ("Nov 3, 2026"), without moving it through a zone. */
export function formatLocalDate(day: string | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return notAvailable();
  return formatDateTime(`${day}T12:00:00Z`, 'UTC', locale).replace(/,? \d{1,2}:\d{2}.*$/, '');
}

/** A local calendar date without its year, for chart axes ("Nov 3"). */
export function formatShortLocalDate(day: string | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return notAvailable();
  return formatDay(`${day}T12:00:00Z`, 'UTC', locale);
}

/** A value in the unit a metric of the catalogue has. */
export type MetricUnit = 'count' | 'money' | 'ratio' | 'milliseconds' | 'turns';

export function formatByUnit(
  unit: MetricUnit,
  value: Maybe,
  options: { currency: string; locale?: string; reason?: string },
): string {
  const { currency, locale = DEFAULT_LOCALE, reason } = options;
  switch (unit) {
    case 'money':
      return formatMoney(value, currency, locale, reason);
    case 'ratio':
      return formatPercent(value, 1, locale, reason);
    case 'milliseconds':
      return formatDuration(value, reason);
    case 'turns':
      return formatNumber(value, 1, locale, reason);
    case 'count':
      return formatCount(value, locale, reason);
  }
}

/*
 * A comparison with the previous period is only shown when that period has enough data to mean
 * something: at least half of its days had data. Otherwise the reason stands in its place.
 */
export type PreviousPeriod = { from?: string; to?: string; days: number; daysWithData: number };

export function comparisonText(
  now: Maybe,
  before: Maybe,
  previous: PreviousPeriod | null | undefined,
  locale = DEFAULT_LOCALE,
): string {
  if (!previous) return 'previous period: loading…';
  if (previous.daysWithData === 0) return 'previous period: no data';
  if (previous.daysWithData * 2 < previous.days)
    return `previous period: ${previous.daysWithData} day${previous.daysWithData === 1 ? '' : 's'} of data`;
  if (!isNumber(now) || !isNumber(before)) return `${NOT_AVAILABLE} vs previous period`;
  if (before === 0)
    return now === 0 ? 'no change vs previous period' : `${NOT_AVAILABLE} vs previous period: it was 0`;
  return `${formatSignedPercent((now - before) / before, 1, locale)} vs previous period`;
}
