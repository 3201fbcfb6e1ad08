import { describe, expect, it } from 'vitest';
import { normalizeUtterance, parseNumber } from './normalize';

describe('normalizeUtterance', () => {
  it('lower-cases, drops punctuation and fillers, keeps apostrophes in words', () => {
    expect(normalizeUtterance('  Alexa, what’s in my CART?? ')).toBe("what's in my cart");
    expect(normalizeUtterance('Add 1,000 "mugs", please!')).toBe('add 1000 mugs');
    expect(normalizeUtterance('twenty-five')).toBe('twenty five');
    expect(normalizeUtterance('please')).toBe('please');
    expect(normalizeUtterance('No, thank you.')).toBe('no');
  });
});

describe('parseNumber', () => {
  it.each([
    ['2', 2],
    ['two', 2],
    ['twelve', 12],
    ['twenty five', 25],
    ['one hundred and five', 105],
    ['a hundred', 100],
    ['a dozen', 12],
    ['two dozen', 24],
    ['three thousand two hundred', 3200],
  ])('%s → %d', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });

  it.each(['two three', 'and', 'a', 'twenty thirty', 'to', 'for', 'hundred and'])('rejects %s', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});
