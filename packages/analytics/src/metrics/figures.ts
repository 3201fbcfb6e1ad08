import type { Figure, MetricId } from './catalogue';

/*
 * Figures as the API sends them: `{ metric, value, reason? }`, the metric id naming the catalogue entry
 * that defines the value. A value that is not a finite number (a ratio over nothing, a percentile of no
 * requests) is `null` with the reason in words, so no NaN or Infinity ever reaches JSON (where NaN would
 * silently become null without a reason) or a screen.
 */

export const NOT_A_NUMBER = 'not a number (nothing to compute it from)';

export function figure<Id extends MetricId>(metric: Id, value: number | null, reason?: string): Figure<Id> {
  if (value === null || !Number.isFinite(value))
    return { metric, value: null, reason: reason ?? NOT_A_NUMBER };
  return { metric, value };
}

/** numerator ÷ denominator, or null with `whenZero` as the reason when the denominator is 0. */
export function ratioFigure<Id extends MetricId>(
  metric: Id,
  numerator: number,
  denominator: number,
  whenZero: string,
): Figure<Id> {
  if (denominator === 0) return { metric, value: null, reason: whenZero };
  return figure(metric, numerator / denominator);
}

/**
 * A money figure from per-currency rows. Amounts in different currencies are never added: with one
 * currency the figure is its amount (minor units, with `currency`); with none it is 0 in the merchant's
 * currency when known; with several it is null and the page reads the by-currency table.
 */
export function moneyFigure<Id extends MetricId, R extends { currency: string }>(
  metric: Id,
  rows: readonly R[],
  pick: (row: R) => number | null,
  empty: { value: number | null; reason?: string } = { value: 0 },
): Figure<Id> {
  if (rows.length > 1)
    return { metric, value: null, reason: 'several currencies: see the figures by currency' };
  const [row] = rows;
  if (!row) return empty.value === null ? figure(metric, null, empty.reason) : { metric, value: empty.value };
  const f = figure(metric, pick(row), empty.reason);
  return f.value === null ? f : { ...f, currency: row.currency };
}
