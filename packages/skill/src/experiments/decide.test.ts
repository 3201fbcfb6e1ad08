import { HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { type Heard, MAX_HEARD_EXPERIMENTS, MAX_HEARD_PRODUCTS } from '../dialog/session';
import { decidePitch, noteExposure } from './decide';
import { slotTiers } from './slot';
import type { LiveExperiment, PitchSlot } from './types';

const PRODUCT = '01936f4e-0000-7000-8000-0000000000aa';
const OTHER = '01936f4e-0000-7000-8000-0000000000bb';

function experiment(
  key: string,
  scope: LiveExperiment['scope'],
  scopeValue: string,
  overrides: Partial<LiveExperiment> = {},
): LiveExperiment {
  return {
    id: `01936f4e-0000-7000-8000-${key.padStart(12, '0').slice(-12)}`,
    key,
    scope,
    scopeValue,
    salt: `${key}-salt`,
    layer: `${scope}:${scopeValue}`,
    holdoutPercent: 0,
    mode: 'fixed',
    startedAt: new Date('2026-11-01T00:00:00Z'),
    variants: ['a', 'b', 'c'].map((v, i) => ({
      id: `${key}-${v}`,
      key: v,
      template: `${key} ${v} {{product}}`,
      weight: i === 2 ? 2 : 1,
      isControl: v === 'a',
      version: 1,
    })),
    ...overrides,
  };
}

const onProduct = (kind: PitchSlot['kind'] = 'product'): PitchSlot => ({
  kind,
  productId: PRODUCT,
  category: 'Coffee',
});
const users = Array.from({ length: 4000 }, (_, i) => `user-${i}`);

describe('slotTiers', () => {
  const product = experiment('p1', 'product', PRODUCT);
  const otherProduct = experiment('p2', 'product', OTHER);
  const category = experiment('c1', 'category', 'coffee');
  const launch = experiment('l1', 'launch', 'launch');
  const starved = experiment('p3', 'product', PRODUCT, {
    variants: product.variants.map((v) => ({ ...v, weight: 0 })),
  });
  const running = [product, otherProduct, category, launch, starved];

  it('covers a product by its own and its category experiments (category case-insensitive), nothing else', () => {
    expect(slotTiers(running, onProduct()).map((t) => t.map((e) => e.key))).toEqual([['p1', 'c1']]);
  });

  it('covers the launch slot by launch experiments first, then the featured product', () => {
    expect(slotTiers(running, onProduct('launch')).map((t) => t.map((e) => e.key))).toEqual([
      ['l1'],
      ['p1', 'c1'],
    ]);
  });
});

describe('decidePitch', () => {
  it('speaks the default without experiments on the slot', () => {
    expect(decidePitch([experiment('p2', 'product', OTHER)], onProduct(), 'u', [])).toEqual({
      kind: 'default',
    });
  });

  it('splits users by weight and logs the probability of the variant heard', () => {
    const exp = experiment('p1', 'product', PRODUCT);
    const counts = new Map<string, number>();
    for (const user of users) {
      const d = decidePitch([exp], onProduct(), user, []);
      if (d.kind !== 'variant') throw new Error(`expected a variant, got ${d.kind}`);
      expect(d.probability).toBe(d.variant.key === 'c' ? 0.5 : 0.25);
      counts.set(d.variant.key, (counts.get(d.variant.key) ?? 0) + 1);
    }
    // Chi-square, 2 degrees of freedom: 13.8 is the 0.999 quantile.
    const expected = { a: 1000, b: 1000, c: 2000 };
    const chi2 = Object.entries(expected).reduce(
      (sum, [k, e]) => sum + ((counts.get(k) ?? 0) - e) ** 2 / e,
      0,
    );
    expect(chi2).toBeLessThan(13.8);
  });

  it('at launch, a launch experiment speaks; users in none hear the featured product experiment', () => {
    const launch = experiment('l1', 'launch', 'launch', { holdoutPercent: 0 });
    const product = experiment('p1', 'product', PRODUCT);
    expect(decidePitch([launch, product], onProduct('launch'), 'u1', [])).toMatchObject({
      kind: 'variant',
      experiment: { key: 'l1' },
    });
    expect(decidePitch([product], onProduct('launch'), 'u1', [])).toMatchObject({
      kind: 'variant',
      experiment: { key: 'p1' },
    });
  });

  it('a product experiment outranks its category experiment in another layer', () => {
    const product = experiment('p1', 'product', PRODUCT);
    const category = experiment('c1', 'category', 'Coffee');
    for (const user of users.slice(0, 50)) {
      expect(decidePitch([category, product], onProduct(), user, [])).toMatchObject({
        experiment: { key: 'p1' },
      });
    }
  });

  it('keeps the variant heard earlier in the session, with its probability, when weights move', () => {
    const before = experiment('p1', 'product', PRODUCT, { mode: 'bandit' });
    const user = users.find((u) => {
      const d = decidePitch([before], onProduct(), u, []);
      return d.kind === 'variant' && d.variant.key === 'a';
    }) as string;
    const first = decidePitch([before], onProduct(), user, []);
    const heard = noteExposure([], first as Exclude<typeof first, { kind: 'default' }>, PRODUCT).heard;
    // Variant a's range shrinks to nothing this user owned: a fresh assignment moves them…
    const after = {
      ...before,
      variants: before.variants.map((v) => ({ ...v, weight: v.key === 'a' ? 1 : 1000 })),
    };
    const fresh = decidePitch([after], onProduct(), user, []);
    expect(fresh).toMatchObject({ kind: 'variant' });
    if (fresh.kind === 'variant') expect(fresh.variant.key).not.toBe('a');
    // …but not within the session that already heard a.
    expect(decidePitch([after], onProduct(), user, heard)).toMatchObject({
      kind: 'variant',
      variant: { key: 'a' },
      probability: 0.25,
    });
    // A variant that no longer takes traffic is not kept.
    const starved = {
      ...before,
      variants: before.variants.map((v) => ({ ...v, weight: v.key === 'a' ? 0 : 1 })),
    };
    expect(decidePitch([starved], onProduct(), user, heard)).toMatchObject({ kind: 'variant' });
    const moved = decidePitch([starved], onProduct(), user, heard);
    if (moved.kind === 'variant') expect(moved.variant.key).not.toBe('a');
  });

  it('holds out the configured share, who hear the default and are logged with the holdout probability', () => {
    const exp = experiment('p1', 'product', PRODUCT, { holdoutPercent: 20 });
    let held = 0;
    for (const user of users) {
      const d = decidePitch([exp], onProduct(), user, []);
      if (d.kind === 'holdout') {
        held++;
        expect(d.probability).toBe(0.2);
      } else if (d.kind === 'variant') {
        expect(d.probability).toBeCloseTo(d.variant.key === 'c' ? 0.4 : 0.2, 10);
      } else throw new Error('expected holdout or variant');
    }
    // Binomial(4000, 0.2): sd ≈ 25; 5 sd either way.
    expect(Math.abs(held - 800)).toBeLessThan(125);
  });
});

describe('noteExposure', () => {
  const exp = experiment('p1', 'product', PRODUCT);
  const variant = exp.variants[1] as LiveExperiment['variants'][number];
  const decision = { kind: 'variant' as const, experiment: exp, variant, probability: 0.25 };

  it('is new once per experiment and product per session', () => {
    const first = noteExposure([], decision, PRODUCT);
    expect(first).toEqual({ isNew: true, heard: [{ e: 'p1', v: 'b', p: 0.25, x: [PRODUCT] }] });
    expect(noteExposure(first.heard, decision, PRODUCT).isNew).toBe(false);
    const second = noteExposure(first.heard, decision, OTHER);
    expect(second).toEqual({ isNew: true, heard: [{ e: 'p1', v: 'b', p: 0.25, x: [PRODUCT, OTHER] }] });
  });

  it('remembers a held-out user under the holdout key', () => {
    const held = noteExposure([], { kind: 'holdout', experiment: exp, probability: 0.1 }, PRODUCT);
    expect(held.heard).toEqual([{ e: 'p1', v: HOLDOUT_VARIANT_KEY, p: 0.1, x: [PRODUCT] }]);
  });

  it('keeps the list bounded, dropping the oldest experiment', () => {
    let heard: Heard[] = [];
    for (let i = 0; i < 25; i++) {
      heard = noteExposure(heard, { ...decision, experiment: { ...exp, key: `e${i}` } }, PRODUCT).heard;
    }
    expect(heard).toHaveLength(MAX_HEARD_EXPERIMENTS);
    expect(heard[0]?.e).toBe(`e${25 - MAX_HEARD_EXPERIMENTS}`);
    let products: Heard[] = [];
    for (let i = 0; i < 15; i++) {
      products = noteExposure(
        products,
        decision,
        `01936f4e-0000-7000-8000-0000000001${String(i).padStart(2, '0')}`,
      ).heard;
    }
    expect(products[0]?.x).toHaveLength(MAX_HEARD_PRODUCTS);
    // The worst case stays a small part of the 24 KB response.
    const worst = Array.from({ length: MAX_HEARD_EXPERIMENTS }, (_, i) => ({
      ...(products[0] as Heard),
      e: `experiment-key-of-sixty-characters-long-${i}`.padEnd(63, 'x'),
      v: 'variant-key'.padEnd(63, 'x'),
    }));
    expect(JSON.stringify(worst).length).toBeLessThan(6000);
  });
});
