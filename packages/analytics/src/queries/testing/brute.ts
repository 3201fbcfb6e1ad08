/**
 * Local-day arithmetic the brute-force references of the queries (brute-*.ts) share: which local day an
 * instant falls on, and where a local day starts.
 */

const DAY = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
export function localDay(ms: number, tz: string): string {
  let f = dayFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(tz, f);
  }
  return f.format(ms);
}

/** Start of a local day, in ms: the instant whose local date is `day` at 00:00 in `tz`. */
export function localMidnight(day: string, tz: string): number {
  const utc = Date.parse(`${day}T00:00:00Z`);
  // The offset can differ by a DST hour across the guess; two rounds settle it.
  let guess = utc;
  for (let i = 0; i < 3; i++) {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(guess);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    guess = utc - (asUtc - guess);
  }
  return guess;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}
