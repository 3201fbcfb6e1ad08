/** Display formatting; amounts are integer minor units as everywhere in Pitchline. */

export function formatMinor(amount: number, currency: string, locale?: string): string {
  const digits =
    new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
}

export const formatPercent = (fraction: number, digits = 1) =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '—';

export const formatSignedPercent = (fraction: number, digits = 1) =>
  Number.isFinite(fraction) ? `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(digits)}%` : '—';

/** A timestamp shown in the merchant's zone, so every viewer reads the same wall-clock time. */
export function formatDateTime(value: string | number | Date | null | undefined, timeZone: string): string {
  if (value === null || value === undefined) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(value),
  );
}

export function formatDay(value: number | string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone }).format(
    new Date(value),
  );
}
