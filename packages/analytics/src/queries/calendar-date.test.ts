import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarDate, dayNumber, daysBetween } from './calendar-date';
import { checkRange, dateRangeShape } from './params';

const range = z.object(dateRangeShape).superRefine(checkRange);
const merchantId = '0195a3c4-0000-7000-8000-000000000001';

function messages(input: Record<string, unknown>): string[] {
  const r = range.safeParse({ merchantId, ...input });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}|${i.message}`);
}

describe('strict calendar dates', () => {
  it('accepts real dates of 2000–2099, leap days included', () => {
    for (const d of ['2000-01-01', '2024-02-29', '2026-03-08', '2099-12-31'])
      expect(dayNumber(d)).toBeDefined();
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });

  it('refuses what Date.parse would take: impossible days, month 13, year 0000, loose forms', () => {
    for (const d of [
      '0000-00-00',
      '1970-13-01',
      '2025-02-30',
      '2025-02-29',
      '2026-04-31',
      '2026-00-10',
      '1999-12-31',
      '2100-01-01',
      '2026-3-8',
      '2026-03-08T00:00:00Z',
      ' 2026-03-08',
      'yesterday',
    ]) {
      expect(dayNumber(d), d).toBeUndefined();
      expect(calendarDate('from').safeParse(d).success, d).toBe(false);
    }
  });

  it('names the parameter at fault in the message and the path', () => {
    expect(messages({ from: '2025-02-30', to: '2025-03-02' })).toEqual([
      'from|from: not a real calendar date',
    ]);
    expect(messages({ from: '2025-02-01', to: '0000-00-00' })).toEqual([
      'to|to: the year must be between 2000 and 2099',
    ]);
    expect(messages({ from: '1970-13-01', to: '2025-03-02' })).toEqual([
      'from|from: the year must be between 2000 and 2099',
    ]);
    expect(messages({ from: 'x', to: '2025-03-02' })).toEqual(['from|from: dates are written YYYY-MM-DD']);
  });

  it('refuses an inverted range and one over three years, and takes exactly three years', () => {
    expect(messages({ from: '2026-03-09', to: '2026-03-08' })).toEqual(['to|to: is before from']);
    expect(messages({ from: '2023-01-01', to: '2026-01-05' })).toEqual([
      'to|to: ranges are at most three years',
    ]);
    expect(messages({ from: '2023-01-01', to: '2026-01-01' })).toEqual([]);
    expect(messages({ from: '2026-03-08', to: '2026-03-08' })).toEqual([]);
  });
});
