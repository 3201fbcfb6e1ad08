import { expect, it } from 'vitest';
import { dayIn, isDay, presetRange, previousPeriod, rangeInstants, startOfDay } from './date-range';

it('takes "today" in the merchant zone, not the viewer one', () => {
  // 03:00 UTC on 1 March is still 28 February in New York.
  const now = new Date('2026-03-01T03:00:00Z');
  expect(dayIn('America/New_York', now)).toBe('2026-02-28');
  expect(dayIn('Europe/Berlin', now)).toBe('2026-03-01');
  expect(presetRange('this_month', 'America/New_York', now)).toEqual({
    from: '2026-02-01',
    to: '2026-02-28',
  });
  expect(presetRange('last_7_days', 'Europe/Berlin', now)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
});

it('starts days at local midnight, across daylight saving changes', () => {
  expect(new Date(startOfDay('2026-01-15', 'America/New_York')).toISOString()).toBe(
    '2026-01-15T05:00:00.000Z',
  );
  expect(new Date(startOfDay('2026-07-15', 'America/New_York')).toISOString()).toBe(
    '2026-07-15T04:00:00.000Z',
  );
  // The day clocks spring forward (8 March 2026 in the US) is 23 hours long.
  const { from, to } = rangeInstants({ from: '2026-03-08', to: '2026-03-08' }, 'America/New_York');
  expect(to.getTime() - from.getTime()).toBe(23 * 3_600_000);
  expect(new Date(startOfDay('2026-03-29', 'Asia/Kolkata')).toISOString()).toBe('2026-03-28T18:30:00.000Z');
});

it('compares with the period of the same length just before', () => {
  expect(previousPeriod({ from: '2026-03-01', to: '2026-03-07' })).toEqual({
    from: '2026-02-22',
    to: '2026-02-28',
  });
  expect(previousPeriod({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
    from: '2026-02-28',
    to: '2026-02-28',
  });
});

it('accepts only real calendar days', () => {
  expect(isDay('2026-02-28')).toBe(true);
  expect(isDay('2026-02-30')).toBe(false);
  expect(isDay('2026-2-3')).toBe(false);
});
