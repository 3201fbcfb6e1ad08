// The subpath, not the package root: the root also loads TZDate, whose module builds its prototype at
// load time, a side effect that keeps ~3 KB of unused code in the SPA's first download.
import { tzOffset } from '@date-fns/tz/tzOffset';

/*
 * Calendar days in a merchant's time zone. A local date (YYYY-MM-DD) is a label, not an instant: it
 * becomes one only with a zone, and its length is 23, 24 or 25 hours (or another amount in zones
 * that shift by 30 minutes). Offsets come from @date-fns/tz's tzOffset, which reads the runtime's own
 * zone database through Intl and so agrees with the browser, Node and ClickHouse's IANA names.
 *
 * TZDate's wall-clock constructor is not used for the start of a day: in @date-fns/tz 1.5 its answer
 * on days whose midnight is skipped or repeated (America/Santiago, America/Havana) depends on the
 * process's own zone. The start of a day is resolved here instead, from offsets alone.
 */

/** A calendar date, YYYY-MM-DD, in whichever zone the caller means. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// tzOffset also takes bare UTC offsets ("+05:30"), and newer Intl versions accept them as zones;
// merchants' zones and ClickHouse's toTimeZone take IANA names only.
const UTC_OFFSET_FORM = /^[+-]/;

/**
 * Name → the runtime's canonical name for it. Intl accepts any letter case and old aliases, so the
 * names a caller can send are endless, and tzOffset keeps a formatter per name it sees: passing it only
 * canonical names bounds that cache to the zone database. This map is bounded too.
 */
const canonicalNames = new Map<string, string>([['UTC', 'UTC']]);
const MAX_REMEMBERED_NAMES = 1024;

function canonicalTimeZone(name: string): string | undefined {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  if (name === '' || UTC_OFFSET_FORM.test(name)) return undefined;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  if (canonicalNames.size < MAX_REMEMBERED_NAMES) canonicalNames.set(name, canonical);
  return canonical;
}

/** Whether `name` is an IANA time zone this runtime knows (Europe/Berlin, UTC), not a bare offset. */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== undefined;
}

function zoneNamed(timeZone: string): string {
  const canonical = canonicalTimeZone(timeZone);
  if (canonical === undefined) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  return canonical;
}

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isLocalDate(value: string): value is LocalDate {
  const m = LOCAL_DATE_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The date's midnight read as if it were UTC: calendar arithmetic without any zone. */
function wallMidnight(date: LocalDate): number {
  const m = LOCAL_DATE_PATTERN.exec(date);
  if (!m || !isLocalDate(date))
    throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  // From the parts, not Date.parse: nothing but the checked pattern is ever read as a date.
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function offsetAt(instant: number, timeZone: string): number {
  // tzOffset answers in minutes, with seconds as a fraction for historical (pre-1900) offsets.
  return Math.round(tzOffset(timeZone, new Date(instant)) * 60_000);
}

/** The zone's offset from UTC at an instant, in ms, positive east of Greenwich (Berlin in winter: +3,600,000). */
export function timeZoneOffsetMs(instant: number | Date, timeZone: string): number {
  return offsetAt(+instant, zoneNamed(timeZone));
}

/** The calendar date an instant falls on in a zone. */
export function localDateOf(instant: number | Date, timeZone: string): LocalDate {
  const at = +instant;
  return new Date(at + timeZoneOffsetMs(at, timeZone)).toISOString().slice(0, 10);
}

/**
 * The first instant (UTC ms) whose local date in the zone is `date`: local midnight, or, where the
 * clocks skip midnight, the moment they jump (01:00 local); where midnight happens twice, the first.
 */
export function startOfLocalDate(date: LocalDate, timeZone: string): number {
  const zone = zoneNamed(timeZone);
  const wall = wallMidnight(date);
  // A zone changes its offset at most once within a day either side, so midnight can only have one of
  // these two offsets (as Temporal resolves wall-clock times).
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const candidates = [wall - before, wall - after].filter((t) => t + offsetAt(t, zone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Midnight falls in a spring-forward gap: the day starts at the transition, found by bisection
  // between the last instant before midnight (old offset) and the first one after it (new offset).
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetAt(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The first instant (UTC ms) of the local day that contains `instant`. */
export function startOfDayContaining(instant: number | Date, timeZone: string): number {
  return startOfLocalDate(localDateOf(instant, timeZone), timeZone);
}

/**
 * Whole local dates as instants: [start of `from`, start of the day after `to`), so a range of one
 * date is that day's 23, 24 or 25 hours.
 */
export function localDateRangeInstants(
  from: LocalDate,
  to: LocalDate,
  timeZone: string,
): { start: number; end: number } {
  return {
    start: startOfLocalDate(from, timeZone),
    end: startOfLocalDate(addDaysToLocalDate(to, 1), timeZone),
  };
}

/** Calendar arithmetic on a date, the same in every zone (dates are labels, not instants). */
export function addDaysToLocalDate(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, got ${days}`);
  return new Date(wallMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How many calendar days `to` is after `from` (negative when before; 0 for the same date). */
export function daysBetweenLocalDates(from: LocalDate, to: LocalDate): number {
  return Math.round((wallMidnight(to) - wallMidnight(from)) / DAY_MS);
}
