import { describe, expect, it } from 'vitest';
import {
  defaultLayer,
  type ExperimentDefinitionInput,
  experimentDefinitionSchema,
  experimentPatchSchema,
} from './definition';
import { planEdit } from './lifecycle';

const PRODUCT_ID = '01936f4e-0000-7000-8000-0000000000aa';

const validInput = (): ExperimentDefinitionInput => ({
  key: 'grinder-pitch',
  hypothesis: 'Naming the price early sells more grinders',
  scope: { kind: 'product', productId: PRODUCT_ID },
  variants: [
    { key: 'control', name: 'Current', template: '{{product}} costs {{price}}.', weight: 1, isControl: true },
    { key: 'price-first', name: 'Price first', template: 'For just {{price}}: {{product}}.', weight: 1 },
    {
      key: 'story',
      name: 'Story',
      template: '<emphasis level="moderate">{{product}}</emphasis> grinds evenly. {{price}}.',
      weight: 2,
    },
  ],
  primaryMetric: 'conversion',
  guardrailMetrics: ['stop_after_pitch', 'refund_rate'],
});

function issues(input: unknown): { path: string; message: string }[] {
  const result = experimentDefinitionSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('experimentDefinitionSchema', () => {
  it('fills defaults: name from key, layer from scope, fixed mode, no holdout, 72 h window', () => {
    const d = experimentDefinitionSchema.parse(validInput());
    expect(d).toMatchObject({
      name: 'grinder-pitch',
      layer: `product:${PRODUCT_ID}`,
      mode: 'fixed',
      holdoutPercent: 0,
      conversionWindowHours: 72,
      secondaryMetrics: [],
    });
    expect(d.variants.map((v) => v.isControl)).toEqual([true, false, false]);
    expect(defaultLayer({ kind: 'category', category: 'Coffee' })).toBe('category:coffee');
    expect(defaultLayer({ kind: 'launch' })).toBe('launch');
    expect(defaultLayer({ kind: 'category', category: ' Brewing  Gear ' })).toBe('category:brewing-gear');
    expect(experimentDefinitionSchema.parse({ ...validInput(), layer: 'shared-slot' }).layer).toBe(
      'shared-slot',
    );
  });

  it('wants 2–10 variants and exactly one control', () => {
    const base = validInput();
    const [first, second] = base.variants;
    if (!first || !second) throw new Error('fixture');
    expect(issues({ ...base, variants: [first] })).toEqual([expect.objectContaining({ path: 'variants' })]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ ...second, key: `v${i}`, isControl: i === 0 }));
    expect(issues({ ...base, variants: eleven })).toEqual([expect.objectContaining({ path: 'variants' })]);
    expect(issues({ ...base, variants: [{ ...first, isControl: false }, second] })).toEqual([
      { path: 'variants', message: 'exactly one variant must be the control (found 0)' },
    ]);
    expect(issues({ ...base, variants: [first, { ...second, isControl: true }] })[0]?.message).toMatch(
      /found 2/,
    );
  });

  it('refuses duplicate keys, the reserved holdout key, zero weights and bad keys', () => {
    const base = validInput();
    const [first, second] = base.variants;
    if (!first || !second) throw new Error('fixture');
    expect(issues({ ...base, variants: [first, { ...second, key: 'control' }] })).toEqual([
      { path: 'variants.1.key', message: 'variant key "control" is used twice' },
    ]);
    expect(issues({ ...base, variants: [first, { ...second, key: 'holdout' }] })[0]?.path).toBe(
      'variants.1.key',
    );
    expect(issues({ ...base, variants: [first, { ...second, weight: 0 }] })[0]?.path).toBe(
      'variants.1.weight',
    );
    expect(issues({ ...base, key: 'Grinder Pitch' })[0]?.path).toBe('key');
    expect(issues({ ...base, scope: { kind: 'product', productId: 'not-a-uuid' } })[0]?.path).toBe(
      'scope.productId',
    );
  });

  it('says where a template is wrong', () => {
    const base = validInput();
    const [first, second] = base.variants;
    if (!first || !second) throw new Error('fixture');
    const found = issues({
      ...base,
      variants: [first, { ...second, template: 'Great {{product}}.\n<blink>now</blink> {{prize}}' }],
    });
    expect(found.map((i) => i.path)).toEqual(expect.arrayContaining(['variants.1.template']));
    expect(found.some((i) => /^line 2, column 1: .*blink/.test(i.message))).toBe(true);
    expect(found.some((i) => /line 2, column \d+: unknown placeholder \{\{prize\}\}/.test(i.message))).toBe(
      true,
    );
  });

  it('checks metrics: no duplicates, the primary not repeated as secondary', () => {
    const base = validInput();
    expect(issues({ ...base, secondaryMetrics: ['conversion'] })[0]?.path).toBe('secondaryMetrics');
    expect(issues({ ...base, guardrailMetrics: ['refund_rate', 'refund_rate'] })[0]?.path).toBe(
      'guardrailMetrics',
    );
    expect(issues({ ...base, guardrailMetrics: ['conversion'] })[0]?.path).toBe('guardrailMetrics.0');
    expect(issues({ ...base, primaryMetric: 'refund_rate' })[0]?.path).toBe('primaryMetric');
    expect(issues({ ...base, secondaryMetrics: ['revenue_per_user', 'fallback_rate'] })).toEqual([]);
  });

  it('keeps bandit weights above the floor, and the floor below an equal share', () => {
    const base = validInput(); // weights 1, 1, 2: 25 %, 25 %, 50 %
    expect(issues({ ...base, mode: 'bandit', banditFloor: 0.2 })).toEqual([]);
    expect(issues({ ...base, mode: 'bandit', banditFloor: 0.3 }).map((i) => i.path)).toEqual([
      'variants.0.weight',
      'variants.1.weight',
    ]);
    expect(issues({ ...base, mode: 'bandit', banditFloor: 0.4 }).map((i) => i.path)).toContain('banditFloor');
    // In fixed mode the floor is not applied.
    expect(issues({ ...base, mode: 'fixed', banditFloor: 0.4 })).toEqual([]);
  });
});

describe('experimentPatchSchema', () => {
  it('accepts any subset but never the key, and checks a variant list it carries', () => {
    expect(experimentPatchSchema.safeParse({ name: 'Renamed' }).success).toBe(true);
    expect(experimentPatchSchema.safeParse({ key: 'other' }).success).toBe(false);
    const [first, second] = validInput().variants;
    expect(
      experimentPatchSchema.safeParse({ variants: [first, { ...second, isControl: true }] }).success,
    ).toBe(false);
  });
});

describe('revenueCapQuantile', () => {
  it('is optional, a quantile strictly between 0.5 and 1, and null turns it off', () => {
    expect(experimentDefinitionSchema.parse(validInput()).revenueCapQuantile).toBeUndefined();
    expect(
      experimentDefinitionSchema.parse({ ...validInput(), revenueCapQuantile: 0.99 }).revenueCapQuantile,
    ).toBe(0.99);
    expect(issues({ ...validInput(), revenueCapQuantile: 0.5 }).map((i) => i.path)).toEqual([
      'revenueCapQuantile',
    ]);
    expect(issues({ ...validInput(), revenueCapQuantile: 1 }).map((i) => i.path)).toEqual([
      'revenueCapQuantile',
    ]);
    expect(experimentPatchSchema.parse({ revenueCapQuantile: null })).toEqual({ revenueCapQuantile: null });
  });

  it('can be set on a draft but not changed once the experiment runs', () => {
    const current = experimentDefinitionSchema.parse(validInput());
    const draft = planEdit('draft', current, experimentPatchSchema.parse({ revenueCapQuantile: 0.99 }));
    expect(draft.ok && draft.plan.fields).toEqual({ revenueCapQuantile: 0.99 });
    const running = planEdit('running', current, experimentPatchSchema.parse({ revenueCapQuantile: 0.99 }));
    expect(running).toEqual({
      ok: false,
      reasons: ['revenueCapQuantile cannot change while the experiment is running'],
    });
  });
});
