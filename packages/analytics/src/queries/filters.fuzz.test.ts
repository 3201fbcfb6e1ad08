import type { PitchlineEvent } from '@pitchline/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryFunnel } from './funnel.query';
import { type FunnelInput, funnelSpecSchema } from './funnel-spec';
import { FILTER_FIELDS, type FilterField } from './params';
import { bruteFunnel } from './testing/brute-funnel';
import { type GeneratedData, generateEvents } from './testing/generate';
import { insertGenerated } from './testing/insert';

/**
 * Generated funnel filters with hostile values, against two merchants' events: the zod schemas never
 * throw, and whatever passes them runs without a SQL error and returns exactly what the brute-force
 * reference computes from this merchant's events alone (so nothing of the other merchant leaks in and
 * no value is read as SQL). Fixed seeds; few runs, each one is a real chDB query.
 */
let ch: TestClickHouse;
let data: GeneratedData;
let mine: string;
let theirs: string;
const range = { from: '2026-05-01', to: '2026-05-04', tz: 'UTC' };

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({
    seed: 11,
    merchants: 2,
    sessionsPerMerchant: 80,
    startMs: Date.parse('2026-05-01T00:00:00Z'),
    days: 3,
  });
  [mine, theirs] = data.merchants as [string, string];
  await insertGenerated(ch, data.events);
}, 60_000);

afterAll(async () => {
  await ch?.dispose();
});

const FIELDS = Object.keys(FILTER_FIELDS) as FilterField[];

/** Values a field really holds (so filters select something), beside SQL and parameter syntax. */
function realValues(field: FilterField): string[] {
  const values = new Set<string>();
  for (const e of data.events) {
    const v = (e as Record<string, unknown>)[field];
    if (typeof v === 'string' || typeof v === 'boolean') values.add(String(v));
  }
  return [...values].slice(0, 20);
}

const HOSTILE_PIECES = [
  "'",
  '"',
  '\\',
  '`',
  '--',
  '/*',
  '*/',
  ';',
  ')',
  '(',
  ' OR 1=1',
  '{merchantId:UUID}',
  '{f_0_0:Array(String)}',
  'UNION SELECT',
  '\u0000',
  '\n',
  '😀',
  'DROP TABLE events',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const filter = fc.constantFrom(...FIELDS).chain((field) =>
  fc.record({
    field: fc.constant(field),
    op: fc.constantFrom('in' as const, 'not_in' as const),
    values: fc.array(fc.oneof(hostile, fc.constantFrom(...realValues(field), 'x')), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
);
const step = fc.record({
  type: fc.constantFrom('session_start', 'turn', 'pitch_exposure', 'cart_add', 'order_confirmed'),
  filters: fc.array(filter, { maxLength: 2 }),
});
const spec: fc.Arbitrary<FunnelInput> = fc.record({
  merchantId: fc.constant('') as fc.Arbitrary<string>,
  ...Object.fromEntries(Object.entries(range).map(([k, v]) => [k, fc.constant(v)])),
  steps: fc.array(step, { minLength: 2, maxLength: 3 }),
  exclusions: fc.array(step, { maxLength: 1 }),
  mode: fc.constantFrom('ordered' as const, 'strict' as const, 'any_order' as const),
  breakdown: fc.constantFrom('none' as const, 'variant' as const, 'locale' as const),
  experimentKey: fc.oneof(
    hostile.filter((s) => s.length > 0 && s.length <= 100),
    fc.constant('voice-pitch'),
  ),
  source: fc.constantFrom('auto' as const, 'events' as const),
}) as fc.Arbitrary<FunnelInput>;

describe('funnel filters under hostile input', () => {
  it('the spec schema never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const parsed = funnelSpecSchema.safeParse(value);
        expect(typeof parsed.success).toBe('boolean');
      }),
      { seed: 7101, numRuns: 500 },
    );
  });

  it('hostile filter values are data: results equal the brute force over this merchant only', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(spec, async (input) => {
        const scoped = { ...input, merchantId: mine };
        const parsed = funnelSpecSchema.safeParse(scoped);
        if (!parsed.success) return;
        const got = await queryFunnel(ch, scoped);
        const want = bruteFunnel(
          data.events.filter((e: PitchlineEvent) => e.merchant_id === mine),
          parsed.data,
        );
        expect(got.groups.map((g) => [g.group, g.steps.map((s) => s.count)])).toEqual(
          want.map((g) => [g.group, g.counts]),
        );
        if (want.some((g) => (g.counts[0] ?? 0) > 0)) nonEmpty++;
      }),
      { seed: 7102, numRuns: 40 },
    );
    // The comparison means something only if many specs selected units.
    expect(nonEmpty).toBeGreaterThan(10);
    expect(theirs).not.toBe(mine);
  }, 120_000);
});
