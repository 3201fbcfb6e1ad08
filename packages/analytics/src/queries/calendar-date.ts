import { z } from 'zod';

/*
 * The dates a dashboard range may name: strict YYYY-MM-DD, a real calendar date, in 2000–2099. Checked
 * by pattern and by calendar arithmetic on the parts (Date.UTC), never with Date.parse, which accepts
 * far more than ISO dates ("2025-02-30" rolls over to March, "0000-00-00" is a date to it). Years are
 * bounded because a range further out is a typo, and 0000 or 9999 would make the three-year cap and
 * ClickHouse's Date type (1970–2149) disagree. No imports but zod: the browser's funnel builder loads it.
 */

export const DATE_BOUNDS = { first: '2000-01-01', last: '2099-12-31', maxRangeDays: 3 * 366 } as const;

const PATTERN = /^(20\d{2})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar date, or undefined when `value` is not one. */
export function dayNumber(value: string): number | undefined {
  const m = PATTERN.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / DAY_MS;
}

/** Calendar days from `from` to `to` (negative when `to` is before). Both must be valid dates. */
export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === undefined || b === undefined) throw new RangeError(`not calendar dates: ${from}, ${to}`);
  return b - a;
}

/** A `from` or `to` parameter: its message names it, so a form (or a person reading a 400) knows which. */
export function calendarDate(name: string) {
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${name}: dates are written YYYY-MM-DD`, abort: true })
    .refine((v) => PATTERN.test(v), {
      message: `${name}: the year must be between 2000 and 2099`,
      abort: true,
    })
    .refine((v) => dayNumber(v) !== undefined, { message: `${name}: not a real calendar date`, abort: true });
}

/** The date `days` calendar days after `date` (before, when negative). `date` must be valid. */
export function addDays(date: string, days: number): string {
  const n = dayNumber(date);
  if (n === undefined) throw new RangeError(`not a calendar date: ${date}`);
  return new Date((n + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The period a range is compared with: as many days, ending the day before it starts. Undefined when
 * it would start before 2000 (no range can name it).
 */
export function previousPeriodOf(p: { from: string; to: string }): { from: string; to: string } | undefined {
  const days = daysBetween(p.from, p.to) + 1;
  const from = addDays(p.from, -days);
  if (from < DATE_BOUNDS.first) return undefined;
  return { from, to: addDays(p.from, -1) };
}
