import { localDay } from './brute';

/** Whether an instant falls on one of the range's local days (both ends included), as LOCAL_RANGE says. */
export function inLocalRange(ts: number, p: { from: string; to: string; tz: string }): boolean {
  const d = localDay(ts, p.tz);
  return d >= p.from && d <= p.to;
}
