import { text } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { clip, fitList, spokenList } from './speech';

describe('speech helpers', () => {
  it('joins lists the way people say them', () => {
    expect(spokenList([])).toBe('');
    expect(spokenList([text('a')])).toBe('a');
    expect(spokenList([text('a'), text('b')])).toBe('a and b');
    expect(spokenList([text('a'), text('b'), text('c')])).toBe('a, b and c');
  });

  it('stops a list at its budget and says how many were left out', () => {
    const items = Array.from({ length: 10 }, (_, i) => text(`item number ${i}`));
    const fitted = fitList(items, 60, (left) => text(`and ${left} more`));
    expect(fitted.length).toBeLessThanOrEqual(60);
    expect(fitted).toMatch(/^item number 0, item number 1, item number 2 and 7 more$/);
    expect(fitList(items.slice(0, 2), 1000, () => text('never'))).toBe('item number 0 and item number 1');
  });

  it('clips long catalog text', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });
});
