import {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  isLocalDate,
  type LocalDate,
  localDateOf,
  localDateRangeInstants,
  startOfLocalDate,
} from '@pitchline/core/time-zone';

/*
 * Date ranges are whole days in the merchant's time zone ("this month" for a merchant in New York
 * starts at midnight in New York, not in the viewer's browser), kept as inclusive YYYY-MM-DD dates
 * and turned into UTC instants only when a query needs them.
 */

export type Day = LocalDate;
export type DateRange = { from: Day; to: Day };
export type Comparison = 'previous_period' | 'none';
export const PRESETS = ['today', 'last_7_days', 'last_28_days', 'last_90_days', 'this_month'] as const;
export type Preset = (typeof PRESETS)[number];
export const PRESET_LABELS: Record<Preset, string> = {
  today: 'Today',
  last_7_days: 'Last 7 days',
  last_28_days: 'Last 28 days',
  last_90_days: 'Last 90 days',
  this_month: 'This month',
};

export function isDay(value: string): value is Day {
  return isLocalDate(value);
}

/** The calendar day an instant falls on in a time zone. */
export function dayIn(timeZone: string, at: Date): Day {
  return localDateOf(at, timeZone);
}

/** Calendar arithmetic on a day, independent of any zone (days are labels, not instants). */
export function addDays(day: Day, n: number): Day {
  return addDaysToLocalDate(day, n);
}

export function daysBetween(range: DateRange): number {
  return daysBetweenLocalDates(range.from, range.to) + 1;
}

/** The instant a day starts in a zone (23- and 25-hour days included). */
export function startOfDay(day: Day, timeZone: string): number {
  return startOfLocalDate(day, timeZone);
}

/** The range as UTC instants: [start of `from`, start of the day after `to`). */
export function rangeInstants(range: DateRange, timeZone: string): { from: Date; to: Date } {
  const { start, end } = localDateRangeInstants(range.from, range.to, timeZone);
  return { from: new Date(start), to: new Date(end) };
}

export function presetRange(preset: Preset, timeZone: string, now: Date): DateRange {
  const today = dayIn(timeZone, now);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_28_days':
      return { from: addDays(today, -27), to: today };
    case 'last_90_days':
      return { from: addDays(today, -89), to: today };
    case 'this_month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** The period of the same length that ends the day before the range starts. */
export function previousPeriod(range: DateRange): DateRange {
  const length = daysBetween(range);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}
