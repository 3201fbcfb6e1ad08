import { PITCH_PLACEHOLDERS, validatePitchTemplate } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCESS_TOKEN, DEMO_PRODUCTS } from './seed';
import { hashAccessToken } from './tokens';

describe('demo catalog', () => {
  it('has a realistic catalog: ~12 products over 3–4 categories, one featured, unique names', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(10);
    const categories = new Set(DEMO_PRODUCTS.map((p) => p.category));
    expect(categories.size).toBeGreaterThanOrEqual(3);
    expect(categories.size).toBeLessThanOrEqual(4);
    expect(DEMO_PRODUCTS.filter((p) => p.featured)).toHaveLength(1);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.name)).size).toBe(DEMO_PRODUCTS.length);
    for (const p of DEMO_PRODUCTS) {
      expect(Number.isInteger(p.priceAmount) && p.priceAmount > 0, p.name).toBe(true);
      expect(p.synonyms?.length, p.name).toBeGreaterThan(0);
    }
  });

  it('has default pitches that are valid pitch templates naming the product', () => {
    for (const p of DEMO_PRODUCTS) {
      const result = validatePitchTemplate(p.pitch);
      expect(result, `${p.name}: ${JSON.stringify(result)}`).toMatchObject({ ok: true });
      if (result.ok) {
        expect(result.placeholders).toContain('product');
        expect(result.placeholders.every((ph) => PITCH_PLACEHOLDERS.includes(ph))).toBe(true);
      }
    }
  });

  it('stores access tokens as sha256 hex', () => {
    expect(hashAccessToken(DEMO_ACCESS_TOKEN)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAccessToken(DEMO_ACCESS_TOKEN)).toBe(hashAccessToken('demo-access-token'));
    expect(hashAccessToken('other')).not.toBe(hashAccessToken(DEMO_ACCESS_TOKEN));
  });
});
