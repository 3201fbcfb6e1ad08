import { describe, expect, it } from 'vitest';
import { type Allocation, ASSIGNMENT_BUCKETS, movedFraction, newAllocation } from './allocation';
import {
  type AssignableExperiment,
  assignmentBucket,
  assignVariant,
  experimentInLayer,
  pickPitchAssignment,
  statelessLayerAllocation,
} from './assignment';
import { HOLDOUT_VARIANT_KEY } from './definition';
import { reallocate } from './reallocate';

/** Upper 0.1 % points of the chi-square distribution, df 1–10 (any statistics table; SciPy chi2.ppf(0.999, df)). */
const CHI2_999 = [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588];

/** Pearson's chi-square statistic of observed counts against expected shares. */
function chiSquare(observed: Map<string, number>, shares: Record<string, number>, n: number): number {
  let statistic = 0;
  for (const [key, share] of Object.entries(shares)) {
    const expected = share * n;
    statistic += ((observed.get(key) ?? 0) - expected) ** 2 / expected;
  }
  return statistic;
}

function counts(values: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

const users = (n: number, prefix = 'amzn1.ask.account.synthetic-') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const experiment = (overrides: Partial<AssignableExperiment> = {}): AssignableExperiment => ({
  key: 'pitch-test',
  salt: 's4lt',
  layer: 'product:x',
  holdoutPercent: 0,
  variants: [
    { key: 'control', weight: 20 },
    { key: 'bold', weight: 30 },
    { key: 'warm', weight: 50 },
  ],
  startedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

describe('assignmentBucket', () => {
  it('is SHA-256 of the joined parts, first 4 bytes scaled to 10000 buckets (values from Python hashlib)', () => {
    // python3 -c "import hashlib; d=hashlib.sha256(s.encode()).digest(); print(int.from_bytes(d[:4],'big')*10000>>32)"
    expect(assignmentBucket('pitch-test', 's4lt', 'amzn1.ask.account.AAA')).toBe(6520);
    expect(assignmentBucket('pitch-test', 's4lt', 'amzn1.ask.account.BBB')).toBe(5205);
    expect(assignmentBucket('pitch-test', 's4lt', 'holdout', 'amzn1.ask.account.AAA')).toBe(8639);
    expect(assignmentBucket('layer', 'product:x', 'amzn1.ask.account.AAA')).toBe(251);
    expect(assignmentBucket('café', 'ü', 'user-é')).toBe(5989);
  });
});

describe('assignVariant', () => {
  it('splits 100,000 synthetic users as the weights say (chi-square, p > 0.001)', () => {
    const exp = experiment();
    const n = 100_000;
    const observed = counts(users(n).map((u) => assignVariant(exp, u).variantKey));
    const shares = { control: 0.2, bold: 0.3, warm: 0.5 };
    const statistic = chiSquare(observed, shares, n);
    expect(statistic).toBeLessThan(CHI2_999[1] as number);
    // The same bound has power: the observed split is far from a wrong set of weights.
    expect(chiSquare(observed, { control: 0.22, bold: 0.3, warm: 0.48 }, n)).toBeGreaterThan(
      CHI2_999[1] as number,
    );
  });

  it('splits ten equal variants and a 10 % holdout as expected', () => {
    const variants = Array.from({ length: 10 }, (_, i) => ({ key: `v${i}`, weight: 1 }));
    const exp = experiment({ variants, holdoutPercent: 10 });
    const n = 40_000;
    const observed = counts(users(n, 'u').map((u) => assignVariant(exp, u).variantKey));
    const shares: Record<string, number> = { [HOLDOUT_VARIANT_KEY]: 0.1 };
    for (const v of variants) shares[v.key] = 0.09;
    expect(chiSquare(observed, shares, n)).toBeLessThan(CHI2_999[9] as number);
  });

  it('gives a user the same variant every time, whatever the order variants are listed in', () => {
    const exp = experiment();
    const reversed = experiment({ variants: [...exp.variants].reverse() });
    for (const user of users(1000)) {
      const first = assignVariant(exp, user);
      expect(assignVariant(exp, user)).toEqual(first);
      expect(assignVariant(structuredClone(reversed), user)).toEqual(first);
    }
  });

  it('reshuffles users when the salt changes', () => {
    const a = experiment();
    const b = experiment({ salt: 'other' });
    const same = users(10_000).filter(
      (u) => assignVariant(a, u).variantKey === assignVariant(b, u).variantKey,
    );
    // Independent draws agree with probability 0.2² + 0.3² + 0.5² = 0.38.
    expect(same.length / 10_000).toBeCloseTo(0.38, 1);
  });

  it('returns the exact bucket share as the probability; variants and holdout sum to 1', () => {
    const exp = experiment({
      variants: [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 1 },
        { key: 'c', weight: 1 },
      ],
      holdoutPercent: 4,
    });
    const seen = new Map<string, number>();
    for (const user of users(3000)) {
      const a = assignVariant(exp, user);
      seen.set(a.variantKey, a.probability);
      expect(a.holdout).toBe(a.variantKey === HOLDOUT_VARIANT_KEY);
    }
    // 10000 / 3 does not divide: the ranges are 3333, 3333 and 3334 buckets.
    expect(seen.get('a')).toBeCloseTo(0.96 * 0.3333, 12);
    expect(seen.get('c')).toBeCloseTo(0.96 * 0.3334, 12);
    expect(seen.get(HOLDOUT_VARIANT_KEY)).toBe(0.04);
    expect([...seen.values()].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it('keeps holdout membership when weights change, and the variant split when the holdout changes', () => {
    const before = experiment({ holdoutPercent: 10 });
    const after = experiment({
      holdoutPercent: 10,
      variants: [
        { key: 'control', weight: 1 },
        { key: 'bold', weight: 1 },
        { key: 'warm', weight: 1 },
      ],
    });
    const bigger = experiment({ holdoutPercent: 20 });
    for (const user of users(5000)) {
      expect(assignVariant(after, user).holdout).toBe(assignVariant(before, user).holdout);
      const was = assignVariant(before, user);
      const now = assignVariant(bigger, user);
      // A larger holdout only takes users in; who stays out keeps their variant.
      if (was.holdout) expect(now.holdout).toBe(true);
      if (!now.holdout) expect(now.variantKey).toBe(was.variantKey);
    }
  });
});

describe('changing weights', () => {
  const moves = (before: AssignableExperiment, after: AssignableExperiment, n: number) => {
    let moved = 0;
    const directions = new Set<string>();
    for (const user of users(n)) {
      const from = assignVariant(before, user).variantKey;
      const to = assignVariant(after, user).variantKey;
      if (from !== to) {
        moved++;
        directions.add(`${from}→${to}`);
      }
    }
    return { moved: moved / n, directions: [...directions].sort() };
  };
  const three = (a: number, b: number, c: number) => [
    { key: 'a', weight: a },
    { key: 'b', weight: b },
    { key: 'c', weight: c },
  ];

  it('moves about 10 % of users from 50/50 to 40/60, all of them from the shrinking variant', () => {
    const two = (a: number, b: number) => [
      { key: 'a', weight: a },
      { key: 'b', weight: b },
    ];
    const before = experiment({ variants: two(50, 50), allocation: newAllocation(two(50, 50)) });
    const after = experiment({
      variants: two(40, 60),
      allocation: reallocate(before.allocation as Allocation, two(40, 60)),
    });
    const { moved, directions } = moves(before, after, 100_000);
    expect(directions).toEqual(['a→b']);
    // Binomial(100000, 0.1): sd ≈ 0.00095, so ±0.5 points is over 5 sd.
    expect(moved).toBeGreaterThan(0.095);
    expect(moved).toBeLessThan(0.105);
    expect(movedFraction(before.allocation as Allocation, after.allocation as Allocation)).toBeCloseTo(
      0.1,
      12,
    );
  });

  it('moves only the total variation distance for three variants, where contiguous ranges moved far more', () => {
    // The measured gap of issue #4: 1:1:1 → 1:2:3 moved 33 % with ranges (minimum 17 %), and
    // 40:30:30 → 10:30:60 moved 60 % (minimum 30 %).
    for (const [from, to, least, ranges] of [
      [three(1, 1, 1), three(1, 2, 3), 1 / 6, 1 / 3],
      [three(40, 30, 30), three(10, 30, 60), 0.3, 0.6],
    ] as const) {
      const before = experiment({ variants: from, allocation: newAllocation(from) });
      const after = experiment({ variants: to, allocation: reallocate(newAllocation(from), to) });
      const stateless = experiment({ variants: to, allocation: null });
      const n = 60_000;
      const measured = moves(before, after, n).moved;
      // Binomial sd at n = 60,000 is under 0.002: 0.01 is over 5 sd.
      expect(Math.abs(measured - least)).toBeLessThan(0.01);
      expect(Math.abs(moves(before, stateless, n).moved - ranges)).toBeLessThan(0.01);
      console.log(
        `${from.map((v) => v.weight).join(':')} → ${to.map((v) => v.weight).join(':')}: moved ${(100 * measured).toFixed(2)} % (minimum ${(100 * least).toFixed(2)} %, contiguous ranges ${(100 * ranges).toFixed(0)} %)`,
      );
    }
  });

  it('moves no one when weights scale', () => {
    const before = newAllocation(three(1, 1, 2));
    expect(movedFraction(before, reallocate(before, three(25, 25, 50)))).toBe(0);
    expect(movedFraction(before, reallocate(before, three(20, 30, 50)))).toBeCloseTo(0.05, 12);
  });

  it('refuses negative or all-zero weights, and duplicate keys', () => {
    expect(() =>
      newAllocation([
        { key: 'a', weight: -1 },
        { key: 'b', weight: 2 },
      ]),
    ).toThrow(/weight -1/);
    expect(() => newAllocation([{ key: 'a', weight: 0 }])).toThrow(/nothing has weight/);
    expect(() =>
      newAllocation([
        { key: 'a', weight: 1 },
        { key: 'a', weight: 1 },
      ]),
    ).toThrow(/twice/);
    // A variant with weight 0 owns no bucket.
    expect(
      newAllocation([
        { key: 'b', weight: 0 },
        { key: 'a', weight: 1 },
      ]).runs,
    ).toEqual([[ASSIGNMENT_BUCKETS, 'a']]);
  });

  it('follows weights written without their allocation, moving minimally from the stored one', () => {
    const stored = newAllocation(three(1, 1, 1));
    // As if the weights were changed in SQL, bypassing the store: every process still agrees.
    const exp = experiment({ variants: three(1, 2, 3), allocation: stored });
    const expected = reallocate(stored, three(1, 2, 3));
    const same = experiment({ variants: three(1, 2, 3), allocation: expected });
    for (const user of users(3000)) expect(assignVariant(exp, user)).toEqual(assignVariant(same, user));
    // A variant the allocation names but the experiment no longer has gives its buckets away.
    const gone = experiment({
      allocation: { buckets: ASSIGNMENT_BUCKETS, runs: [[ASSIGNMENT_BUCKETS, 'gone']] },
    });
    const keys = new Set(users(3000).map((u) => assignVariant(gone, u).variantKey));
    expect([...keys].sort()).toEqual(['bold', 'control', 'warm']);
  });
});

describe('layers', () => {
  const inLayer = (key: string, startedAt: string, variants = experiment().variants) =>
    experiment({ key, salt: `${key}-salt`, layer: 'launch', startedAt, variants, scopeKind: 'launch' });
  const three = [
    inLayer('c-exp', '2026-01-03T00:00:00Z'),
    inLayer('a-exp', '2026-01-01T00:00:00Z'),
    inLayer('b-exp', '2026-01-02T00:00:00Z'),
  ];

  it('puts each user in exactly one experiment of a layer, in equal shares', () => {
    const n = 30_000;
    const chosen = users(n).map((u) => pickPitchAssignment(three, u));
    const observed = counts(chosen.map((c) => c?.experiment.key ?? 'none'));
    expect(observed.get('none')).toBeUndefined();
    expect(chiSquare(observed, { 'a-exp': 1 / 3, 'b-exp': 1 / 3, 'c-exp': 1 / 3 }, n)).toBeLessThan(
      CHI2_999[1] as number,
    );
    // Exclusive: asking about each experiment alone, a user belongs to one and only one.
    for (const user of users(1000)) {
      const owners = three.filter((e) => experimentInLayer(three, user) === e);
      expect(owners).toHaveLength(1);
    }
  });

  it('keeps the variant split inside each experiment independent of the layer split', () => {
    const n = 45_000;
    const byExperiment = new Map<string, string[]>();
    for (const user of users(n, 'layer-user-')) {
      const picked = pickPitchAssignment(three, user);
      if (!picked) throw new Error('no experiment');
      const list = byExperiment.get(picked.experiment.key) ?? [];
      list.push(picked.assignment.variantKey);
      byExperiment.set(picked.experiment.key, list);
    }
    for (const variants of byExperiment.values()) {
      const stat = chiSquare(counts(variants), { control: 0.2, bold: 0.3, warm: 0.5 }, variants.length);
      expect(stat).toBeLessThan(CHI2_999[1] as number);
    }
  });

  it('orders a layer by start time, not by the order experiments are listed in', () => {
    expect(statelessLayerAllocation(three).runs).toEqual([
      [3333, 'a-exp'],
      [6666, 'b-exp'],
      [10000, 'c-exp'],
    ]);
    for (const user of users(2000)) {
      expect(experimentInLayer([...three].reverse(), user)?.key).toBe(experimentInLayer(three, user)?.key);
    }
    expect(() => statelessLayerAllocation([three[0] as AssignableExperiment, experiment()])).toThrow(
      /different layers/,
    );
  });

  it('moves only the third a new experiment takes when the layer allocation is stored', () => {
    const [c, a, b] = three as [AssignableExperiment, AssignableExperiment, AssignableExperiment];
    const equal = (list: AssignableExperiment[]) => list.map((e) => ({ key: e.key, weight: 1 }));
    const before = statelessLayerAllocation([a, b]);
    const after = reallocate(before, equal([a, b, c]));
    const stored = [a, b, c].map((e) => ({ ...e, layerAllocation: after }));
    const n = 30_000;
    let moved = 0;
    let movedStateless = 0;
    for (const user of users(n, 'layer-move-')) {
      const was = experimentInLayer([a, b], user)?.key;
      const now = experimentInLayer(stored, user)?.key;
      if (was !== now) {
        moved++;
        // Only into the new experiment: no one changes between the two already running.
        expect(now).toBe('c-exp');
      }
      if (was !== experimentInLayer([a, b, c], user)?.key) movedStateless++;
    }
    // Binomial sd at n = 30,000 is under 0.003: 0.02 is over 6 sd.
    expect(Math.abs(moved / n - 1 / 3)).toBeLessThan(0.02);
    expect(Math.abs(movedStateless / n - 1 / 2)).toBeLessThan(0.02);
    // Stopping b hands its users to a and c; no one else moves.
    const afterStop = reallocate(after, equal([a, c]));
    for (const user of users(5000, 'layer-stop-')) {
      const was = experimentInLayer(stored, user)?.key;
      const now = experimentInLayer(
        [a, c].map((e) => ({ ...e, layerAllocation: afterStop })),
        user,
      )?.key;
      if (was !== 'b-exp') expect(now).toBe(was);
    }
  });

  it('divides among the experiments given when they are not exactly the stored allocation’s owners', () => {
    const [c, a, b] = three as [AssignableExperiment, AssignableExperiment, AssignableExperiment];
    const all = reallocate(
      statelessLayerAllocation([a, b]),
      [a, b, c].map((e) => ({ key: e.key, weight: 1 })),
    );
    // A slot that sees only a and c of a hand-named layer: the old equal division between the two.
    const subset = [a, c].map((e) => ({ ...e, layerAllocation: all }));
    for (const user of users(2000)) {
      expect(experimentInLayer(subset, user)?.key).toBe(experimentInLayer([a, c], user)?.key);
    }
  });

  it('lets the product experiment speak over the category experiment on the same product', () => {
    const product = experiment({
      key: 'product-exp',
      layer: 'product:p1',
      scopeKind: 'product',
      startedAt: '2026-02-01T00:00:00Z',
    });
    const category = experiment({
      key: 'category-exp',
      layer: 'category:coffee',
      scopeKind: 'category',
      startedAt: '2026-01-01T00:00:00Z',
    });
    for (const user of users(500)) {
      expect(pickPitchAssignment([category, product], user)?.experiment.key).toBe('product-exp');
      expect(pickPitchAssignment([category], user)?.experiment.key).toBe('category-exp');
    }
    expect(pickPitchAssignment([], 'anyone')).toBeUndefined();
  });
});
