import {
  type Comparison,
  type DateRange,
  daysBetween,
  isDay,
  PRESETS,
  type Preset,
  presetRange,
} from './date-range';

/*
 * The state every analytics page shares (date range, time zone, comparison) lives in the address, so a
 * reload or a copied link shows the same figures: `?from=2026-11-01&to=2026-11-28&tz=America/New_York
 * &compare=previous`. Dates are written out (never a preset name), because "last 28 days" opened by a
 * colleague tomorrow is another range. Pages with their own query parameters (the funnel, the session
 * search) keep them beside these: `withSharedState` carries these over whenever a page rewrites the
 * query string or the app navigates.
 */

export const SHARED_KEYS = ['from', 'to', 'tz', 'compare'] as const;

/** The API's own bounds (strict calendar dates, years 2000–2099, at most three years), checked first here. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;
export const MAX_RANGE_DAYS = 3 * 366;

export type SharedState = {
  range: DateRange;
  timeZone: string;
  comparison: Comparison;
};

export type ReadState = SharedState & {
  preset: Preset | 'custom';
  /** Why a parameter of the address was not used (shown beside the picker), or null. */
  problem: string | null;
};

export function isTimeZone(value: string): boolean {
  if (value === '' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Why a range cannot be asked for, in words, or null when it can. */
export function rangeProblem(range: { from: string; to: string }): string | null {
  for (const [name, day] of [
    ['From', range.from],
    ['To', range.to],
  ] as const) {
    if (!isDay(day)) return `${name} is not a date (YYYY-MM-DD).`;
    const year = Number(day.slice(0, 4));
    if (year < MIN_YEAR || year > MAX_YEAR) return `${name} must be between ${MIN_YEAR} and ${MAX_YEAR}.`;
  }
  if (range.from > range.to) return 'The start date is after the end date.';
  if (daysBetween(range as DateRange) > MAX_RANGE_DAYS) return 'A range can span at most three years.';
  return null;
}

/** Which preset a range is today, if any, so the picker can name it. */
export function presetOf(range: DateRange, timeZone: string, now: Date): Preset | 'custom' {
  for (const p of PRESETS) {
    const r = presetRange(p, timeZone, now);
    if (r.from === range.from && r.to === range.to) return p;
  }
  return 'custom';
}

/**
 * The shared state of a query string. Missing parameters take the defaults (the last 28 days in the
 * merchant's zone, compared with the previous period); unusable ones too, with the reason in `problem`.
 */
export function readSharedState(search: string, merchantTimeZone: string, now: Date): ReadState {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const tzParam = params.get('tz');
  let timeZone = merchantTimeZone;
  if (tzParam !== null) {
    if (isTimeZone(tzParam)) timeZone = tzParam;
    else
      problems.push(`The link's time zone "${tzParam.slice(0, 40)}" is unknown; using ${merchantTimeZone}.`);
  }
  const from = params.get('from');
  const to = params.get('to');
  let range = presetRange('last_28_days', timeZone, now);
  if (from !== null || to !== null) {
    const asked = { from: from ?? '', to: to ?? '' };
    const problem = rangeProblem(asked);
    if (problem === null) range = asked as DateRange;
    else problems.push(`The link's dates were not used: ${problem}`);
  }
  const compare = params.get('compare');
  const comparison: Comparison = compare === 'none' ? 'none' : 'previous_period';
  return {
    range,
    timeZone,
    comparison,
    preset: presetOf(range, timeZone, now),
    problem: problems.length > 0 ? problems.join(' ') : null,
  };
}

/**
 * `search` with the shared state set: other parameters keep their order and values, the shared ones
 * come first (so a link reads "which days" before "which funnel").
 */
export function writeSharedState(search: string, state: SharedState): string {
  const own = new URLSearchParams(search);
  for (const key of SHARED_KEYS) own.delete(key);
  const shared = new URLSearchParams({
    from: state.range.from,
    to: state.range.to,
    tz: state.timeZone,
    compare: state.comparison === 'none' ? 'none' : 'previous',
  });
  const rest = own.toString();
  return `?${shared.toString()}${rest ? `&${rest}` : ''}`;
}

/**
 * The query string `target` should have when the app goes there from `current`: the target's own
 * parameters, plus the shared ones of the current address that the target does not set itself.
 */
export function withSharedState(target: string, current: string): string {
  const targetParams = new URLSearchParams(target);
  const currentParams = new URLSearchParams(current);
  const carried = new URLSearchParams();
  for (const key of SHARED_KEYS) {
    const value = targetParams.get(key) ?? currentParams.get(key);
    if (value !== null) carried.set(key, value);
    targetParams.delete(key);
  }
  const parts = [carried.toString(), targetParams.toString()].filter((p) => p !== '');
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** A path (with or without its own query) with the shared state of `current` carried over. */
export function pathWithSharedState(to: string, current: string): string {
  const q = to.indexOf('?');
  const path = q === -1 ? to : to.slice(0, q);
  const search = q === -1 ? '' : to.slice(q);
  return `${path}${withSharedState(search, current)}`;
}

/** A page's own parameters: the query string without the shared state (a page's limits apply to these). */
export function withoutSharedState(search: string): string {
  const params = new URLSearchParams(search);
  for (const key of SHARED_KEYS) params.delete(key);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
