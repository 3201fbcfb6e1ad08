import { expect, it } from 'vitest';
import { differencesAmong, figureOf, previousFiguresOf, previousPeriodOf } from './metrics';

it('reads a figure the API sends, and nothing from a response without figures', () => {
  const data = {
    figures: {
      sessions: { metric: 'sessions', value: 651 },
      paid_conversion: { metric: 'paid_conversion', value: null, reason: 'no sessions' },
      net_revenue: { metric: 'net_revenue', value: 'NaN' },
    },
    previousFigures: { sessions: { metric: 'sessions', value: 12 } },
    previousPeriod: { from: '2026-10-01', to: '2026-10-28', days: 28, daysWithData: 2 },
  };
  expect(figureOf(data, 'sessions')).toEqual({ metric: 'sessions', value: 651 });
  expect(figureOf(data, 'paid_conversion')).toEqual({
    metric: 'paid_conversion',
    value: null,
    reason: 'no sessions',
  });
  // Anything but a finite number is no value.
  expect(figureOf(data, 'net_revenue')?.value).toBeNull();
  expect(figureOf(data, 'refunds')).toBeUndefined();
  expect(figureOf({ revenue: {} }, 'sessions')).toBeUndefined();
  expect(figureOf({ figures: previousFiguresOf(data) }, 'sessions')?.value).toBe(12);
  expect(previousPeriodOf(data)).toEqual({ from: '2026-10-01', to: '2026-10-28', daysWithData: 2 });
  expect(previousPeriodOf({})).toBeUndefined();
});

it('says why two figures differ only when both are on the page', () => {
  expect(differencesAmong(['paid_conversion'])).toEqual([]);
  const both = differencesAmong(['paid_conversion', 'experiment_conversion', 'sessions']);
  expect(both).toHaveLength(1);
  expect(both[0]).toMatch(/per session/);
});
