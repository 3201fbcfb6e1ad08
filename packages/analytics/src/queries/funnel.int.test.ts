import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import { queryFunnel } from './funnel.query';
import { queryFunnelDropoffs } from './funnel-drilldown.query';
import { queryFunnelOverTime } from './funnel-over-time.query';
import { type FunnelInput, funnelSpecSchema } from './funnel-spec';
import { localDay } from './testing/brute';
import { bruteFunnel, bruteFunnelUnits } from './testing/brute-funnel';
import { type GeneratedData, generateEvents } from './testing/generate';
import { insertGenerated } from './testing/insert';
import { quantileExact } from './testing/quantile-exact';

let ch: TestClickHouse;
let data: GeneratedData;
const START = Date.parse('2026-03-01T00:00:00Z');

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({ seed: 7, merchants: 3, sessionsPerMerchant: 500, startMs: START, days: 6 });
  await insertGenerated(ch, data.events, 3000);
});
afterAll(async () => {
  await ch?.dispose();
});

const m = () => data.merchants[0] as string;
const DEFAULT = ['session_start', 'pitch_exposure', 'cart_add', 'order_confirmed', 'payment_succeeded'].map(
  (type) => ({ type }),
);

async function compare(input: FunnelInput, expectSource?: 'rollup' | 'events') {
  const spec = funnelSpecSchema.parse(input);
  const result = await queryFunnel(ch, input);
  if (expectSource) expect(result.source).toBe(expectSource);
  const expected = bruteFunnel(data.events, spec);
  expect(result.groups.map((g) => g.group).sort()).toEqual(expected.map((g) => g.group).sort());
  for (const want of expected) {
    const got = result.groups.find((g) => g.group === want.group);
    expect(
      got?.steps.map((s) => s.count),
      want.group,
    ).toEqual(want.counts);
    got?.steps.forEach((s, i) => {
      if (i === 0 || s.count === 0) return;
      const gaps = want.gaps[i] ?? [];
      expect(s.medianSeconds).toBe(quantileExact(gaps, 0.5) / 1000);
      expect(s.p90Seconds).toBe(quantileExact(gaps, 0.9) / 1000);
      const prev = got.steps[i - 1]?.count ?? 0;
      expect(s.dropOff).toBe(prev - s.count);
    });
  }
  // A real funnel: people drop out along the way, and some get through.
  const total = expected.reduce((a, g) => a + (g.counts[0] ?? 0), 0);
  expect(total).toBeGreaterThan(50);
  return result;
}

describe('funnel against a brute-force recomputation', () => {
  it('the default voice sales funnel from the session rollup, no breakdown', async () => {
    const r = await compare(
      { merchantId: m(), from: '2026-03-01', to: '2026-03-06', steps: DEFAULT },
      'rollup',
    );
    const steps = r.groups[0]?.steps ?? [];
    expect(steps[4]?.count).toBeGreaterThan(0);
    expect(steps[4]?.count).toBeLessThan(steps[0]?.count ?? 0);
  });

  for (const breakdown of ['variant', 'experiment', 'locale', 'device', 'product'] as const) {
    it(`rollup and raw events agree with brute force, by ${breakdown}`, async () => {
      const base = {
        merchantId: m(),
        from: '2026-03-02',
        to: '2026-03-05',
        tz: 'America/Los_Angeles',
        steps: DEFAULT,
        breakdown,
      };
      const a = await compare(base, 'rollup');
      const b = await compare({ ...base, source: 'events' }, 'events');
      expect(a.groups).toEqual(b.groups);
    });
  }

  it('variants of one experiment', async () => {
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        steps: DEFAULT,
        breakdown: 'variant',
        experimentKey: 'price-anchor',
      },
      'rollup',
    );
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        steps: DEFAULT,
        breakdown: 'variant',
        experimentKey: 'price-anchor',
        source: 'events',
      },
      'events',
    );
  });

  it('strict and any-order modes, short windows, exclusions', async () => {
    for (const mode of ['strict', 'any_order', 'ordered'] as const) {
      await compare({
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        steps: DEFAULT,
        mode,
        windowSeconds: 90,
      });
    }
    await compare({
      merchantId: m(),
      from: '2026-03-01',
      to: '2026-03-06',
      steps: [{ type: 'cart_add' }, { type: 'pitch_exposure' }, { type: 'checkout_prompt' }],
      mode: 'any_order',
      windowSeconds: 60,
    });
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        steps: DEFAULT,
        exclusions: [{ type: 'order_declined' }],
      },
      'rollup',
    );
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        steps: DEFAULT,
        exclusions: [{ type: 'turn', filters: [{ field: 'intent', values: ['AMAZON.FallbackIntent'] }] }],
      },
      'events',
    );
  });

  it('user-level funnels and step filters use the raw events', async () => {
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-06',
        unit: 'user',
        steps: DEFAULT,
        breakdown: 'locale',
        tz: 'Asia/Kolkata',
      },
      'events',
    );
    await compare(
      {
        merchantId: m(),
        from: '2026-03-01',
        to: '2026-03-04',
        steps: [
          { type: 'turn', filters: [{ field: 'intent', values: ['ProductDetailsIntent'] }] },
          { type: 'pitch_exposure', filters: [{ field: 'variant_key', values: ['story', 'anchor'] }] },
          { type: 'turn', filters: [{ field: 'intent', op: 'in', values: ['AddToCartIntent'] }] },
          {
            type: 'turn',
            filters: [
              { field: 'intent', op: 'not_in', values: ['AMAZON.FallbackIntent', 'AMAZON.HelpIntent'] },
              { field: 'locale', values: ['en-US', 'en-GB'] },
            ],
          },
        ],
      },
      'events',
    );
  });

  it('conversion per local day and the sessions that dropped at a step', async () => {
    const input = {
      merchantId: m(),
      from: '2026-03-01',
      to: '2026-03-06',
      tz: 'Europe/Berlin',
      steps: DEFAULT,
      breakdown: 'variant' as const,
    };
    const spec = funnelSpecSchema.parse(input);
    const units = bruteFunnelUnits(data.events, spec);
    const overTime = await queryFunnelOverTime(ch, input);
    const want = new Map<string, { entered: number; converted: number }>();
    for (const u of units) {
      const key = `${localDay(u.f[0] as number, spec.tz)}|${u.bd === '' ? '(none)' : u.bd}`;
      const w = want.get(key) ?? { entered: 0, converted: 0 };
      w.entered++;
      if (u.level === spec.steps.length) w.converted++;
      want.set(key, w);
    }
    expect(
      new Map(
        overTime.days.map((d) => [`${d.day}|${d.group}`, { entered: d.entered, converted: d.converted }]),
      ),
    ).toEqual(want);

    const dropped = await queryFunnelDropoffs(ch, {
      merchantId: m(),
      funnel: input,
      droppedAfterStep: 3,
      limit: 1000,
    });
    const expected = units
      .filter((u) => u.level === 3)
      .sort((a, b) => (b.f[0] as number) - (a.f[0] as number) || (a.unit < b.unit ? -1 : 1));
    expect(dropped.map((d) => d.unit)).toEqual(expected.map((u) => u.unit));
    expect(dropped.length).toBeGreaterThan(0);
    // Page by page after the last unit of each page: the same list, no repeat, no gap.
    const paged: string[] = [];
    let after: { enteredAt: number; unit: string } | undefined;
    for (let i = 0; i < 1000; i++) {
      const page = await queryFunnelDropoffs(ch, {
        merchantId: m(),
        funnel: input,
        droppedAfterStep: 3,
        limit: 7,
        ...(after ? { after } : {}),
      });
      paged.push(...page.map((d) => d.unit));
      const last = page.at(-1);
      if (page.length < 7 || !last) break;
      after = { enteredAt: last.enteredAt, unit: last.unit };
    }
    expect(paged).toEqual(expected.map((u) => u.unit));
    expect(paged.length).toBeGreaterThan(7);
    const story = await queryFunnelDropoffs(ch, {
      merchantId: m(),
      funnel: input,
      droppedAfterStep: 2,
      group: 'voice-pitch:story',
      limit: 5,
    });
    expect(story.length).toBe(5);
    for (const d of story) expect(units.find((u) => u.unit === d.unit)?.bd).toBe('voice-pitch:story');
  });
});
