import { describe, expect, it } from 'vitest';
import { matchCategory, matchProducts, phraseScore, searchProducts } from './match';
import { normalize, tokens } from './normalize';
import type { CatalogProduct } from './types';

let n = 0;
function product(name: string, extra: Partial<CatalogProduct> = {}): CatalogProduct {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    name,
    description: '',
    category: 'Things',
    priceAmount: 100,
    currency: 'USD',
    featured: false,
    defaultPitch: '{{product}}',
    synonyms: [],
    ...extra,
  };
}

const fish = product('Fish & Chips <audio src="https://x">', { synonyms: ['chippy supper'] });
const mug = product('Blue Ceramic Mug', { category: 'Kitchen', description: 'Holds 12 oz of coffee.' });
const mugs = product('Red Travel Mug', { category: 'Kitchen' });
const decaf = product('Swiss Water Decaf', { synonyms: ['decaf', 'decaffeinated'], featured: true });
const catalog = [fish, mug, mugs, decaf];

describe('normalize and tokens', () => {
  it('meets Alexa transcription half way', () => {
    expect(normalize('Fish & Chips')).toBe('fish and chips');
    expect(normalize('Crème Brûlée')).toBe('creme brulee');
    expect(normalize("Grandma's Jam!")).toBe('grandmas jam');
    expect(tokens('the blue mugs')).toEqual(['blue', 'mug']);
    expect(tokens('the')).toEqual(['the']);
  });
});

describe('matchProducts', () => {
  it('prefers an exact name, then synonyms, then overlap', () => {
    expect(matchProducts('fish and chips audio src https x', catalog)[0]?.product).toBe(fish);
    expect(matchProducts('chippy supper', catalog)[0]).toEqual({ product: fish, score: 1 });
    expect(matchProducts('decaffeinated', catalog)[0]?.product).toBe(decaf);
    expect(matchProducts('blue mug', catalog)[0]?.product).toBe(mug);
    expect(matchProducts('the red mugs', catalog)[0]?.product).toBe(mugs);
  });

  it('finds nothing for what the catalog does not have', () => {
    expect(matchProducts('pizza', catalog)).toEqual([]);
    expect(matchProducts('', catalog)).toEqual([]);
  });

  it('scores partial phrases below exact ones', () => {
    expect(phraseScore('chips', 'Fish & Chips')).toBeGreaterThan(0.34);
    expect(phraseScore('chips', 'Fish & Chips')).toBeLessThan(1);
    expect(phraseScore('FISH and chips', 'Fish & Chips')).toBe(1);
  });
});

describe('searchProducts', () => {
  it('ranks names before descriptions and categories', () => {
    const found = searchProducts('mug', catalog).map((m) => m.product);
    expect(found.slice(0, 2).sort((a, b) => a.name.localeCompare(b.name))).toEqual([mug, mugs]);
    expect(searchProducts('coffee', catalog).map((m) => m.product)).toEqual([mug]);
    expect(
      searchProducts('kitchen', catalog)
        .map((m) => m.product.name)
        .sort(),
    ).toEqual(['Blue Ceramic Mug', 'Red Travel Mug']);
  });
});

describe('matchCategory', () => {
  it('matches spoken category names', () => {
    expect(matchCategory('brewing gear', ['Coffee', 'Brewing Gear'])).toBe('Brewing Gear');
    expect(matchCategory('snacks and things', ['Snacks & <Things>'])).toBe('Snacks & <Things>');
    expect(matchCategory('furniture', ['Coffee', 'Brewing Gear'])).toBeUndefined();
  });
});
