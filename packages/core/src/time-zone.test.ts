import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  isLocalDate,
  isTimeZone,
  localDateOf,
  localDateRangeInstants,
  startOfDayContaining,
  startOfLocalDate,
  timeZoneOffsetMs,
} from './time-zone';

const HOUR = 3_600_000;
const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const KOLKATA = 'Asia/Kolkata';
const CHATHAM = 'Pacific/Chatham';
const iso = (ms: number) => new Date(ms).toISOString();
const at = (isoString: string) => Date.parse(isoString);
const hoursIn = (date: string, zone: string) => {
  const { start, end } = localDateRangeInstants(date, date, zone);
  return (end - start) / HOUR;
};

describe('isTimeZone', () => {
  it('accepts IANA names the runtime knows', () => {
    for (const zone of ['UTC', BERLIN, NY, KOLKATA, CHATHAM, 'Etc/GMT+5', 'Australia/Lord_Howe']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
  });

  it('refuses unknown names, typos and bare UTC offsets', () => {
    for (const zone of ['', 'Mars/Olympus', 'America/New York', 'Europe/Berlin ', '+01:00', '-0500', '+5']) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
  });

  it('treats letter-case variants and old aliases as the zone they name', () => {
    const winter = at('2026-01-15T12:00:00Z');
    for (const alias of ['america/new_york', 'AMERICA/NEW_YORK', 'US/Eastern']) {
      expect(isTimeZone(alias), alias).toBe(true);
      expect(timeZoneOffsetMs(winter, alias), alias).toBe(-5 * HOUR);
      expect(startOfLocalDate('2026-03-08', alias), alias).toBe(startOfLocalDate('2026-03-08', NY));
    }
  });

  it('makes every zone-taking function throw a RangeError for a bad zone', () => {
    expect(() => timeZoneOffsetMs(0, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDateOf(0, '+01:00')).toThrow(RangeError);
    expect(() => startOfLocalDate('2026-01-01', '')).toThrow(RangeError);
    expect(() => startOfDayContaining(0, 'America/New York')).toThrow(RangeError);
  });
});

describe('timeZoneOffsetMs', () => {
  it('follows daylight saving time and half- and quarter-hour zones', () => {
    expect(timeZoneOffsetMs(at('2026-01-15T12:00:00Z'), NY)).toBe(-5 * HOUR);
    expect(timeZoneOffsetMs(at('2026-07-15T12:00:00Z'), NY)).toBe(-4 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-01-15T12:00:00Z'), BERLIN)).toBe(HOUR);
    expect(timeZoneOffsetMs(at('2026-07-15T12:00:00Z'), BERLIN)).toBe(2 * HOUR);
    expect(timeZoneOffsetMs(at('2026-07-15T12:00:00Z'), KOLKATA)).toBe(5.5 * HOUR);
    // Chatham is 12:45 ahead in its winter (June) and 13:45 in its summer (January).
    expect(timeZoneOffsetMs(at('2026-06-15T12:00:00Z'), CHATHAM)).toBe(12.75 * HOUR);
    expect(timeZoneOffsetMs(at('2026-01-15T12:00:00Z'), CHATHAM)).toBe(13.75 * HOUR);
    expect(timeZoneOffsetMs(at('2026-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('changes at the transition instant itself', () => {
    // New York springs forward at 2026-03-08 07:00 UTC (02:00 EST becomes 03:00 EDT).
    expect(timeZoneOffsetMs(at('2026-03-08T06:59:59.999Z'), NY)).toBe(-5 * HOUR);
    expect(timeZoneOffsetMs(at('2026-03-08T07:00:00Z'), NY)).toBe(-4 * HOUR);
  });
});

describe('localDateOf', () => {
  it('is the date on the wall clock of the zone, not of the viewer', () => {
    const instant = at('2026-03-01T03:00:00Z');
    expect(localDateOf(instant, NY)).toBe('2026-02-28');
    expect(localDateOf(instant, BERLIN)).toBe('2026-03-01');
    expect(localDateOf(new Date(instant), 'UTC')).toBe('2026-03-01');
  });

  it('turns over exactly at local midnight, also half an hour off the UTC hour', () => {
    expect(localDateOf(at('2026-03-28T18:29:59.999Z'), KOLKATA)).toBe('2026-03-28');
    expect(localDateOf(at('2026-03-28T18:30:00Z'), KOLKATA)).toBe('2026-03-29');
    expect(localDateOf(at('2026-06-14T11:14:59.999Z'), CHATHAM)).toBe('2026-06-14');
    expect(localDateOf(at('2026-06-14T11:15:00Z'), CHATHAM)).toBe('2026-06-15');
  });
});

describe('startOfLocalDate', () => {
  it('is local midnight as a UTC instant', () => {
    expect(iso(startOfLocalDate('2026-01-15', NY))).toBe('2026-01-15T05:00:00.000Z');
    expect(iso(startOfLocalDate('2026-07-15', NY))).toBe('2026-07-15T04:00:00.000Z');
    expect(iso(startOfLocalDate('2026-07-15', BERLIN))).toBe('2026-07-14T22:00:00.000Z');
    expect(iso(startOfLocalDate('2026-03-29', KOLKATA))).toBe('2026-03-28T18:30:00.000Z');
    expect(iso(startOfLocalDate('2026-06-15', CHATHAM))).toBe('2026-06-14T11:15:00.000Z');
    expect(iso(startOfLocalDate('2026-06-15', 'UTC'))).toBe('2026-06-15T00:00:00.000Z');
  });

  it('makes the days clocks change 23 and 25 hours long', () => {
    expect(hoursIn('2026-03-08', NY)).toBe(23);
    expect(hoursIn('2026-11-01', NY)).toBe(25);
    expect(hoursIn('2026-03-29', BERLIN)).toBe(23);
    expect(hoursIn('2026-10-25', BERLIN)).toBe(25);
    // Chatham moves at 02:45 local: 27 September 2026 forward, 5 April 2026 back.
    expect(hoursIn('2026-09-27', CHATHAM)).toBe(23);
    expect(hoursIn('2026-04-05', CHATHAM)).toBe(25);
    // Lord Howe Island moves by half an hour.
    expect(hoursIn('2026-10-04', 'Australia/Lord_Howe')).toBe(23.5);
    expect(hoursIn('2026-04-05', 'Australia/Lord_Howe')).toBe(24.5);
    for (const date of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) {
      expect(hoursIn(date, KOLKATA)).toBe(24);
      expect(hoursIn(date, 'UTC')).toBe(24);
    }
  });

  it('starts a day whose midnight is skipped at the jump, and one whose midnight repeats at the first', () => {
    // Chile springs forward at midnight: 6 September 2026 has no 00:00 and begins at 01:00 (UTC-3).
    expect(iso(startOfLocalDate('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(hoursIn('2026-09-06', 'America/Santiago')).toBe(23);
    expect(hoursIn('2026-09-05', 'America/Santiago')).toBe(24);
    // Cuba falls back at 01:00 to 00:00: 1 November 2026 has midnight twice and 25 hours.
    expect(iso(startOfLocalDate('2026-11-01', 'America/Havana'))).toBe('2026-11-01T04:00:00.000Z');
    expect(hoursIn('2026-11-01', 'America/Havana')).toBe(25);
  });

  it('refuses dates that are not real YYYY-MM-DD calendar dates', () => {
    expect(() => startOfLocalDate('2026-02-30', NY)).toThrow(RangeError);
    expect(() => startOfLocalDate('2026-2-3', NY)).toThrow(RangeError);
  });

  describe('whatever zone the process itself runs in', () => {
    const processZone = process.env.TZ;
    afterEach(() => {
      if (processZone === undefined) delete process.env.TZ;
      else process.env.TZ = processZone;
    });

    it('gives the same instants', () => {
      for (const zone of ['UTC', 'America/Los_Angeles', CHATHAM, KOLKATA]) {
        process.env.TZ = zone;
        expect(iso(startOfLocalDate('2026-04-05', 'America/Santiago')), zone).toBe(
          '2026-04-05T04:00:00.000Z',
        );
        expect(iso(startOfLocalDate('2026-11-01', 'America/Havana')), zone).toBe('2026-11-01T04:00:00.000Z');
        expect(localDateOf(at('2026-03-01T03:00:00Z'), NY), zone).toBe('2026-02-28');
      }
    });
  });
});

describe('startOfDayContaining', () => {
  it('finds the local midnight before an instant, also on the day clocks change', () => {
    expect(startOfDayContaining(Date.UTC(2026, 10, 27, 15), NY)).toBe(Date.UTC(2026, 10, 27, 5));
    // 2026-11-01: New York falls back at 2:00; midnight was still daylight time (UTC-4).
    expect(startOfDayContaining(Date.UTC(2026, 10, 1, 20), NY)).toBe(Date.UTC(2026, 10, 1, 4));
    expect(startOfDayContaining(at('2026-03-29T21:00:00Z'), BERLIN)).toBe(at('2026-03-28T23:00:00Z'));
  });

  const zones = [
    'UTC',
    NY,
    BERLIN,
    KOLKATA,
    CHATHAM,
    'Australia/Lord_Howe',
    'America/Santiago',
    'America/Havana',
    'Asia/Kathmandu',
    'America/St_Johns',
  ];

  it('holds for any instant and zone: the day starts at or before it, the next one after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (instant, zone) => {
          const date = localDateOf(instant, zone);
          const start = startOfDayContaining(instant, zone);
          expect(start).toBeLessThanOrEqual(instant);
          expect(localDateOf(start, zone)).toBe(date);
          expect(localDateOf(start - 1, zone) < date).toBe(true);
          expect(startOfLocalDate(addDaysToLocalDate(date, 1), zone)).toBeGreaterThan(instant);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('local date arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDaysToLocalDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToLocalDate('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDaysToLocalDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToLocalDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDaysToLocalDate('2026-03-08', 0)).toBe('2026-03-08');
    expect(addDaysToLocalDate('2026-03-01', -89)).toBe('2025-12-02');
  });

  it('refuses fractional days and invalid dates', () => {
    expect(() => addDaysToLocalDate('2026-03-01', 0.5)).toThrow(RangeError);
    expect(() => addDaysToLocalDate('2026-13-01', 1)).toThrow(RangeError);
  });

  it('counts calendar days between dates, whatever happens to the clocks', () => {
    expect(daysBetweenLocalDates('2026-03-01', '2026-03-07')).toBe(6);
    expect(daysBetweenLocalDates('2026-03-07', '2026-03-01')).toBe(-6);
    expect(daysBetweenLocalDates('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetweenLocalDates('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('knows real calendar dates', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('2026-02-03T00:00:00Z')).toBe(false);
  });

  it('turns a range of dates into the instants that cover it', () => {
    const { start, end } = localDateRangeInstants('2026-03-01', '2026-03-31', BERLIN);
    expect(iso(start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(end)).toBe('2026-03-31T22:00:00.000Z');
    expect((end - start) / HOUR).toBe(31 * 24 - 1);
  });
});
