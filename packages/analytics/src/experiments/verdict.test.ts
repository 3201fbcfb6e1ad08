import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideVerdict, type VerdictInput, type VerdictVariant } from './verdict';

const treatment = (
  key: string,
  over: Partial<NonNullable<VerdictVariant['primary']>> = {},
): VerdictVariant => ({
  key,
  isControl: false,
  breachedGuardrails: [],
  primary: { adjustedSequentialP: 0.5, lift: 0.01, better: true, sequentialLiftCi: [-0.3, 0.3], ...over },
});
const control: VerdictVariant = { key: 'a', isControl: true, breachedGuardrails: [] };

const input = (variants: VerdictVariant[], over: Partial<VerdictInput> = {}): VerdictInput => ({
  alpha: 0.05,
  variants,
  srm: { flagged: false, pValue: 0.5 },
  elapsedDays: 5,
  maxDurationDays: 28,
  minimumDetectableEffect: 0.1,
  primaryLabel: 'paid-order conversion',
  ...over,
});

describe('decideVerdict', () => {
  it('ships the significantly better treatment with the largest lift', () => {
    const v = decideVerdict(
      input([
        control,
        treatment('b', { adjustedSequentialP: 0.01, lift: 0.2 }),
        treatment('c', { adjustedSequentialP: 0.001, lift: 0.3 }),
      ]),
    );
    expect(v).toMatchObject({ decision: 'ship', variant: 'c', text: 'ship c' });
    expect(v.reason).toContain('30.0%');
  });

  it('a winner over a control with no conversions: the lift is undefined in words, never "by Infinity%"', () => {
    const v = decideVerdict(
      input([
        control,
        treatment('b', { adjustedSequentialP: 0.01, lift: 0.9 }),
        treatment('c', {
          adjustedSequentialP: 0.001,
          lift: null,
          liftReason: 'control has no conversions',
          sequentialLiftCi: [Number.NaN, Number.NaN],
        }),
      ]),
    );
    expect(v).toMatchObject({ decision: 'ship', variant: 'c', text: 'ship c' });
    expect(v.reason).toContain('the relative lift is undefined because the control has no conversions');
    expect(v.reason).not.toMatch(/Infinity|NaN/);
  });

  it('an adjusted p-value exactly at α ships (reject at p ≤ α)', () => {
    const v = decideVerdict(input([control, treatment('b', { adjustedSequentialP: 0.05, lift: 0.2 })]));
    expect(v).toMatchObject({ decision: 'ship', variant: 'b' });
    expect(
      decideVerdict(input([control, treatment('b', { adjustedSequentialP: 0.05, better: false })])).text,
    ).toBe('ship a');
  });

  it('does not ship a significant loser, and ships the control when every treatment loses', () => {
    expect(
      decideVerdict(input([control, treatment('b', { adjustedSequentialP: 0.001, better: false })])).text,
    ).toBe('ship a');
    const mixed = decideVerdict(
      input([control, treatment('b', { adjustedSequentialP: 0.001, better: false }), treatment('c')]),
    );
    expect(mixed.text).toBe('keep running');
  });

  it('a p-value above alpha is not enough', () => {
    expect(
      decideVerdict(input([control, treatment('b', { adjustedSequentialP: 0.0500001, lift: 0.4 })])).text,
    ).toBe('keep running');
  });

  it('SRM beats everything, then guardrails beat a winner', () => {
    const winner = treatment('b', { adjustedSequentialP: 0.001, lift: 0.3 });
    const breached = { ...treatment('c'), breachedGuardrails: ['stop_after_pitch' as const] };
    expect(
      decideVerdict(input([control, winner, breached], { srm: { flagged: true, pValue: 1e-9 } })).text,
    ).toBe('stop: sample ratio mismatch');
    // The would-be winner is the one hurting users: nothing ships.
    const hurting = { ...winner, breachedGuardrails: ['refund_rate' as const] };
    const v = decideVerdict(input([control, hurting, treatment('c')]));
    expect(v).toMatchObject({ decision: 'stop_guardrail', text: 'stop: guardrail breached' });
    expect(v.reason).toContain('b: refund rate');
    expect(v.reason).toContain('b, the variant that would have shipped, is among them');
    // A breach with no winner at all stops the experiment too.
    expect(decideVerdict(input([control, treatment('b'), breached])).text).toBe('stop: guardrail breached');
  });

  it('a losing arm’s breach stops that arm only when another arm is a clear, safe winner', () => {
    const winner = treatment('b', { adjustedSequentialP: 0.001, lift: 0.3 });
    const breached = { ...treatment('c'), breachedGuardrails: ['stop_after_pitch' as const] };
    const v = decideVerdict(input([control, winner, breached]));
    expect(v).toMatchObject({
      decision: 'ship',
      variant: 'b',
      stopVariants: ['c'],
      text: 'stop c: guardrail breached; ship b',
    });
    expect(v.reason).toContain('c: stop/cancel right after the pitch');
    expect(v.reason).toContain('b lifts paid-order conversion by 30.0%');
    // Two winners: the larger lift breaches, so the smaller one does not ship in its place.
    const bigger = {
      ...treatment('d', { adjustedSequentialP: 0.001, lift: 0.5 }),
      breachedGuardrails: ['fallback_rate' as const],
    };
    expect(decideVerdict(input([control, winner, bigger])).text).toBe('stop: guardrail breached');
    // Several losing arms breach: all are named.
    const other = { ...treatment('e'), breachedGuardrails: ['refund_rate' as const] };
    expect(decideVerdict(input([control, winner, breached, other])).text).toBe(
      'stop c, e: guardrail breached; ship b',
    );
  });

  it('inconclusive once every always-valid lift interval is inside ±MDE, or past the maximum duration', () => {
    const tight = treatment('b', { sequentialLiftCi: [-0.05, 0.08] });
    expect(decideVerdict(input([control, tight])).text).toBe('inconclusive');
    const wide = treatment('b', { sequentialLiftCi: [-0.05, 0.12] });
    expect(decideVerdict(input([control, wide])).text).toBe('keep running');
    const late = decideVerdict(input([control, wide], { elapsedDays: 28 }));
    expect(late.text).toBe('inconclusive');
    expect(late.reason).toContain('28 days');
  });
});

describe('decideVerdict never prints Infinity or NaN', () => {
  it('whatever the lifts, intervals and p-values (undefined lifts included)', () => {
    const primary = fc.record({
      adjustedSequentialP: fc.double({ min: 0, max: 1, noNaN: true }),
      lift: fc.option(fc.double({ min: -1, max: 50, noNaN: true }), { nil: null }),
      better: fc.boolean(),
      sequentialLiftCi: fc.oneof(
        fc.constant<[number, number]>([Number.NaN, Number.NaN]),
        fc.tuple(fc.double({ min: -5, max: 0, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })),
      ),
    });
    const variant = (key: string) =>
      fc.record({
        key: fc.constant(key),
        isControl: fc.constant(false),
        breachedGuardrails: fc.subarray(['stop_after_pitch', 'fallback_rate'] as const),
        primary: primary.map((p) =>
          p.lift === null ? { ...p, liftReason: 'control has no conversions' } : p,
        ),
      });
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('b', 'c', 'd'), { minLength: 1, maxLength: 3 })
          .chain((keys) => fc.tuple(...[...new Set(keys)].map(variant))),
        fc.boolean(),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (treatments, srmFlagged, elapsedDays) => {
          const v = decideVerdict(
            input([control, ...(treatments as VerdictVariant[])], {
              srm: { flagged: srmFlagged, pValue: 1e-6 },
              elapsedDays,
            }),
          );
          expect(`${v.text} ${v.reason}`).not.toMatch(/Infinity|NaN/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
