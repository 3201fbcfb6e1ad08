import { funnelSpecSchema } from '@pitchline/analytics';
import { EVENT_TYPES } from '@pitchline/core/events';
import { describe, expect, it } from 'vitest';
import {
  defaultFunnel,
  FILTER_FIELDS,
  type FunnelState,
  fitsInUrl,
  funnelRequest,
  LIMITS,
  parseFunnelSearch,
  serializeFunnel,
} from './funnel-url';

const MERCHANT = '00000000-0000-4000-8000-000000000001';
const RANGE = { from: '2026-03-01', to: '2026-03-28', tz: 'Europe/Berlin' };

const rich: FunnelState = {
  steps: [
    { type: 'session_start', filters: [{ field: 'locale', op: 'in', values: ['en-US', 'en-GB'] }] },
    {
      type: 'pitch_exposure',
      filters: [
        { field: 'experiment_key', op: 'in', values: ['launch-pitch'] },
        { field: 'variant_key', op: 'not_in', values: ['a'] },
      ],
    },
    { type: 'turn', filters: [{ field: 'intent', op: 'in', values: ['AddToCartIntent'] }] },
    { type: 'cart_add', filters: [] },
    { type: 'payment_succeeded', filters: [{ field: 'currency', op: 'in', values: ['EUR'] }] },
  ],
  exclusions: [
    { type: 'session_end', filters: [{ field: 'reason', op: 'in', values: ['error'] }] },
    { type: 'payment_failed', filters: [] },
  ],
  mode: 'strict',
  windowSeconds: 5_400,
  unit: 'user',
  breakdown: 'variant',
  experimentKey: 'launch-pitch',
};

/** Text chosen to break naive formats: the format's separators, escapes, markup, quotes and non-ASCII. */
const HOSTILE = [
  'a|b',
  'c,d',
  '50%',
  '%7C',
  '%',
  'x=y&step=turn',
  '!=',
  '<script>alert(1)</script>',
  // layers: not SQL (an injection attempt as a filter value, which must round-trip as plain text)
  "'; DROP TABLE events; --",
  '  spaced  +plus ',
  'Kaffee über alles ☕',
  '',
  '#hash?query',
  '\n\t',
];

describe('round trip', () => {
  it('brings back the default funnel', () => {
    const s = serializeFunnel(defaultFunnel());
    expect(parseFunnelSearch(s)).toEqual({ state: defaultFunnel(), problems: [] });
  });

  it('brings back every field: steps, filters, exclusions, mode, window, unit, breakdown, experiment', () => {
    const s = serializeFunnel(rich);
    expect(parseFunnelSearch(s)).toEqual({ state: rich, problems: [] });
    // The URL form the browser keeps (a real URL object re-encodes nothing it does not need to).
    const url = new URL(`https://pitchline.test/funnels${s}`);
    expect(parseFunnelSearch(url.search)).toEqual({ state: rich, problems: [] });
  });

  it('keeps hostile filter values exactly, one by one and all in one filter', () => {
    for (const value of HOSTILE) {
      const state: FunnelState = {
        ...defaultFunnel(),
        steps: [
          { type: 'turn', filters: [{ field: 'intent', op: 'not_in', values: [value] }] },
          { type: 'cart_add', filters: [] },
        ],
      };
      expect(parseFunnelSearch(serializeFunnel(state)).state, JSON.stringify(value)).toEqual(state);
    }
    const all: FunnelState = {
      ...defaultFunnel(),
      exclusions: [{ type: 'request_rejected', filters: [{ field: 'reason', op: 'in', values: HOSTILE }] }],
    };
    expect(parseFunnelSearch(serializeFunnel(all))).toEqual({ state: all, problems: [] });
  });

  it('writes broken text (a lone surrogate) as U+FFFD instead of throwing', () => {
    const state: FunnelState = {
      ...defaultFunnel(),
      steps: [
        { type: 'turn', filters: [{ field: 'intent', op: 'in', values: ['a\uD800b', '\uDC00'] }] },
        { type: 'cart_add', filters: [] },
      ],
    };
    expect(parseFunnelSearch(serializeFunnel(state)).state.steps[0]?.filters[0]?.values).toEqual([
      'a\uFFFDb',
      '\uFFFD',
    ]);
  });

  it('keeps a hostile experiment key exactly', () => {
    const state: FunnelState = { ...defaultFunnel(), breakdown: 'variant', experimentKey: 'a&b=c|d,e %' };
    expect(parseFunnelSearch(serializeFunnel(state)).state).toEqual(state);
  });

  it('writes a readable link', () => {
    expect(serializeFunnel(rich)).toContain('step=pitch_exposure|experiment_key=launch-pitch|variant_key!=a');
    expect(serializeFunnel(rich)).toContain('&exclude=session_end|reason=error&');
    expect(serializeFunnel(rich)).toContain('&mode=strict&window=5400&unit=user&by=variant&exp=launch-pitch');
  });

  it('survives random states (a deterministic fuzz)', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
    const chars = 'ab|,%=!&?#+ ü☕<>"\'\\/;:\n';
    const text = () => Array.from({ length: rnd(12) }, () => chars[rnd(chars.length)]).join('');
    const step = () => ({
      type: pick(EVENT_TYPES),
      filters: Array.from({ length: rnd(3) }, () => ({
        field: pick(FILTER_FIELDS),
        op: pick(['in', 'not_in'] as const),
        values: Array.from({ length: 1 + rnd(3) }, text),
      })),
    });
    for (let i = 0; i < 300; i++) {
      const breakdown = pick(['none', 'variant', 'experiment', 'locale', 'device', 'product'] as const);
      const key = text();
      const state: FunnelState = {
        steps: Array.from({ length: 2 + rnd(4) }, step),
        exclusions: Array.from({ length: rnd(3) }, step),
        mode: pick(['ordered', 'strict', 'any_order'] as const),
        windowSeconds: 1 + rnd(LIMITS.maxWindowSeconds),
        unit: pick(['session', 'user'] as const),
        breakdown,
        ...(breakdown === 'variant' && key ? { experimentKey: key } : {}),
      };
      expect(parseFunnelSearch(serializeFunnel(state))).toEqual({ state, problems: [] });
    }
  });
});

describe('garbage in the URL opens the default funnel and says why', () => {
  const garbage = [
    '?step=not_an_event&step=cart_add',
    '?step=session_start',
    `?${Array.from({ length: 11 }, () => 'step=turn').join('&')}`,
    '?step=turn|intent&step=cart_add',
    '?step=turn|nope=x&step=cart_add',
    '?step=turn|__proto__=x&step=cart_add',
    '?step=turn|intent=%25E0%25A4%25A&step=cart_add',
    '?step=turn|&step=cart_add',
    `?step=turn|${Array.from({ length: 11 }, () => 'intent=a').join('|')}&step=cart_add`,
    `?step=turn|intent=${Array.from({ length: 101 }, () => 'a').join(',')}&step=cart_add`,
    `?step=turn|intent=${'x'.repeat(501)}&step=cart_add`,
    '?mode=sideways',
    '?mode=ordered&mode=strict',
    '?window=0',
    '?window=-5',
    '?window=1.5',
    '?window=1e3',
    `?window=${LIMITS.maxWindowSeconds + 1}`,
    '?window=99999999999999999999',
    '?unit=household',
    '?by=__proto__',
    '?by=variant&exp=',
    `?by=variant&exp=${'k'.repeat(101)}`,
    `?${Array.from({ length: 6 }, () => 'exclude=refund').join('&')}`,
    '?exclude=constructor',
    `?step=${'a'.repeat(LIMITS.maxSearchLength)}`,
  ];
  for (const search of garbage) {
    it(search.length > 80 ? `${search.slice(0, 80)}… (${search.length} chars)` : search, () => {
      const parsed = parseFunnelSearch(search);
      expect(parsed.state).toEqual(defaultFunnel());
      expect(parsed.problems.length).toBeGreaterThan(0);
    });
  }

  it('never throws on random bytes', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const alphabet =
      'step=&|,%!?#+ exclude mode window unit by exp turn cart_add intent 0123456789\u0000\uFFFF\uD800';
    for (let i = 0; i < 500; i++) {
      const s = Array.from({ length: rnd(200) }, () => alphabet[rnd(alphabet.length)]).join('');
      const parsed = parseFunnelSearch(s);
      // Whatever came in, the state is one the API accepts.
      expect(() =>
        funnelSpecSchema.parse({ ...funnelRequest(parsed.state, RANGE), merchantId: MERCHANT }),
      ).not.toThrow();
    }
  });

  it('reads no funnel parameters as the default funnel, without complaint', () => {
    for (const s of ['', '?', '?utm_source=mail&ref=x', '?step', 'garbage without a question mark']) {
      expect(parseFunnelSearch(s).state).toEqual(defaultFunnel());
    }
    expect(parseFunnelSearch('?utm_source=mail').problems).toEqual([]);
    expect(parseFunnelSearch(undefined as unknown as string)).toEqual({
      state: defaultFunnel(),
      problems: [],
    });
  });

  it('fills what a link leaves out with the spec defaults', () => {
    expect(parseFunnelSearch('?mode=any_order').state).toEqual({ ...defaultFunnel(), mode: 'any_order' });
    expect(parseFunnelSearch('?step=turn&step=cart_add').state.steps).toEqual([
      { type: 'turn', filters: [] },
      { type: 'cart_add', filters: [] },
    ]);
  });

  it('drops an experiment key without the variant breakdown (it means nothing there)', () => {
    expect(parseFunnelSearch('?by=locale&exp=launch').state).toEqual({
      ...defaultFunnel(),
      breakdown: 'locale',
    });
    expect(serializeFunnel({ ...defaultFunnel(), breakdown: 'locale', experimentKey: 'x' })).not.toContain(
      'exp=',
    );
  });

  it('reads the problems back to the user in words, user text cut short', () => {
    const parsed = parseFunnelSearch(`?mode=${'<b>'.repeat(100)}`);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.length).toBeLessThan(80);
    expect(parsed.problems[0]).toContain('unknown mode');
  });
});

describe('size limits', () => {
  it('accepts the largest state that fits, refuses one character more', () => {
    const withValue = (v: string): FunnelState => ({
      ...defaultFunnel(),
      steps: [
        { type: 'turn', filters: [{ field: 'intent', op: 'in', values: [v] }] },
        { type: 'cart_add', filters: [] },
      ],
    });
    const base = serializeFunnel(withValue('')).length;
    const fits = withValue('x'.repeat(LIMITS.maxSearchLength - base));
    expect(serializeFunnel(fits).length).toBe(LIMITS.maxSearchLength);
    expect(fitsInUrl(fits)).toBe(true);
    expect(parseFunnelSearch(serializeFunnel(fits)).problems.length).toBeGreaterThan(0); // 500-char value cap
    const tooLong = withValue('x'.repeat(LIMITS.maxSearchLength - base + 1));
    expect(fitsInUrl(tooLong)).toBe(false);
    expect(parseFunnelSearch(serializeFunnel(tooLong)).problems[0]).toContain('longer than');
  });

  it('keeps a full-size builder (10 steps, 5 exclusions, a filter each) in one link', () => {
    const step = {
      type: 'turn' as const,
      filters: [{ field: 'intent' as const, op: 'in' as const, values: ['BrowseIntent', 'AddToCartIntent'] }],
    };
    const state: FunnelState = {
      ...defaultFunnel(),
      steps: Array.from({ length: 10 }, () => step),
      exclusions: Array.from({ length: 5 }, () => step),
    };
    expect(fitsInUrl(state)).toBe(true);
    expect(parseFunnelSearch(serializeFunnel(state)).state).toEqual(state);
  });
});

describe('the API request', () => {
  it('maps every builder field to the spec one to one, and the spec accepts it', () => {
    const body = funnelRequest(rich, RANGE);
    const spec = funnelSpecSchema.parse({ ...body, merchantId: MERCHANT });
    expect(spec).toMatchObject({
      steps: rich.steps,
      exclusions: rich.exclusions,
      mode: 'strict',
      windowSeconds: 5_400,
      unit: 'user',
      breakdown: 'variant',
      experimentKey: 'launch-pitch',
      from: RANGE.from,
      to: RANGE.to,
      tz: RANGE.tz,
    });
  });

  it('sends no experiment key without the variant breakdown', () => {
    expect(funnelRequest({ ...rich, breakdown: 'product' }, RANGE)).not.toHaveProperty('experimentKey');
  });
});
