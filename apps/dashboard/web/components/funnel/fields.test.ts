import { expect, it } from 'vitest';
import { describeFilter, describeIssuePath, mergeFilter, splitWindow } from './fields';

it('shows a window in the largest unit that divides it', () => {
  expect(splitWindow(86_400)).toEqual({ amount: 1, unitSeconds: 86_400 });
  expect(splitWindow(5_400)).toEqual({ amount: 90, unitSeconds: 60 });
  expect(splitWindow(7_200)).toEqual({ amount: 2, unitSeconds: 3_600 });
  expect(splitWindow(61)).toEqual({ amount: 61, unitSeconds: 1 });
});

it('widens a filter on the same field and operator instead of adding one that could never hold', () => {
  const a = { field: 'variant_key' as const, op: 'in' as const, values: ['b'] };
  expect(mergeFilter([a], { ...a, values: ['c'] })).toEqual([{ ...a, values: ['b', 'c'] }]);
  expect(mergeFilter([a], { ...a, values: ['b'] })).toEqual([a]);
  expect(mergeFilter([a], { ...a, op: 'not_in', values: ['c'] })).toHaveLength(2);
});

it('describes filters and API issue paths in words', () => {
  expect(describeFilter({ field: 'variant_key', op: 'not_in', values: ['b', ''] })).toBe(
    'Pitch variant is not b or (empty)',
  );
  expect(describeFilter({ field: 'intent', op: 'in', values: ['a', 'b', 'c', 'd', 'e'] })).toBe(
    'Intent is a or b or c or 2 more',
  );
  expect(describeIssuePath(['steps', 1, 'filters', 0, 'values'])).toBe('Step 2, filter 1, values');
  expect(describeIssuePath(['exclusions', 0, 'type'])).toBe('Exclusion 1, type');
  expect(describeIssuePath(['steps', 0, 'filters', 2, 'values', 4])).toBe('Step 1, filter 3, value 5');
  expect(describeIssuePath(['windowSeconds'])).toBe('Conversion window');
  expect(describeIssuePath(['__proto__'])).toBe('__proto__');
  expect(describeIssuePath([])).toBe('Funnel');
});
