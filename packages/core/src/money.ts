import { z } from 'zod';

/** ISO 4217 alphabetic code, upper case. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD or EUR');
export type Currency = z.infer<typeof currencySchema>;

/**
 * Money is always an integer count of the currency's minor unit (cents for USD, yen for JPY):
 * floating point never touches an amount, so sums reconcile to the cent with the orders table.
 */
export const minorUnitsSchema = z
  .number()
  .int('amounts are integer minor units')
  .min(0, 'amounts are never negative; refunds are their own event type')
  .max(Number.MAX_SAFE_INTEGER);

export const moneySchema = z.object({ amount: minorUnitsSchema, currency: currencySchema });
export type Money = z.infer<typeof moneySchema>;

// Building an Intl.NumberFormat costs far more than formatting with one, and prices are spoken on
// almost every turn: formatters are kept per (locale, currency). The set is small and bounded.
const formatters = new Map<string, Intl.NumberFormat>();
function currencyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

// resolvedOptions() builds a fresh options object each call (~4.5 µs): several prices are spoken per
// turn, so the answer is kept per currency, bounded like the formatters.
const digitsByCurrency = new Map<string, number>();

/** How many minor-unit digits a currency has (2 for USD, 0 for JPY, 3 for KWD), as Intl knows it. */
export function minorUnitDigits(currency: Currency): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyFormatter('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    if (digitsByCurrency.size >= 1000) digitsByCurrency.clear();
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** Formats minor units for display or speech in a locale, e.g. 1999 USD en-US → "$19.99". */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const digits = minorUnitDigits(money.currency);
  return currencyFormatter(locale, money.currency).format(money.amount / 10 ** digits);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`cannot add ${a.currency} to ${b.currency}`);
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function multiplyMoney(money: Money, quantity: number): Money {
  if (!Number.isInteger(quantity) || quantity < 0) throw new Error('quantity must be a non-negative integer');
  return { amount: money.amount * quantity, currency: money.currency };
}
