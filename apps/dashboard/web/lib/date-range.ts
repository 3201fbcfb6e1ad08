/*
 * Date ranges are whole days in the merchant's time zone ("this month" for a merchant in New York
 * starts at midnight in New York, not in the viewer's browser), kept as inclusive YYYY-MM-DD dates
 * and turned into UTC instants only when a query needs them.
 */

export type Day = string; // YYYY-MM-DD
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

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: string): value is Day {
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The calendar day an instant falls on in a time zone. */
export function dayIn(timeZone: string, at: Date): Day {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Calendar arithmetic on a day, independent of any zone (days are labels, not instants). */
export function addDays(day: Day, n: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(range: DateRange): number {
  return (
    Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1
  );
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a day starts in a zone. Two passes settle days whose midnight sits next to a daylight
 * saving change (the offset at the naive guess can differ from the offset at the answer).
 */
export function startOfDay(day: Day, timeZone: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`);
  let guess = naive - offsetAt(timeZone, naive);
  guess = naive - offsetAt(timeZone, guess);
  return guess;
}

/** The range as UTC instants: [start of `from`, start of the day after `to`). */
export function rangeInstants(range: DateRange, timeZone: string): { from: Date; to: Date } {
  return {
    from: new Date(startOfDay(range.from, timeZone)),
    to: new Date(startOfDay(addDays(range.to, 1), timeZone)),
  };
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
