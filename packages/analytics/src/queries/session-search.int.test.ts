import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import {
  normaliseQuery,
  querySessionSearch,
  type SessionSearchInput,
  type SessionSearchRow,
  sessionSearchSchema,
} from './session-search.query';
import { addDays, localDay, localMidnight } from './testing/brute';
import { type GeneratedData, generateEvents, mulberry32, seededUuid } from './testing/generate';
import { insertGenerated } from './testing/insert';

/*
 * The session search against a brute-force recomputation over the same generated traffic (plus a few
 * hand-made sessions: same-millisecond starts, hostile speech, sessions straddling the range's ends),
 * page by page. Payments are inserted after the dialogs, as webhooks deliver them, so every paid
 * session's summary is two unmerged rows that the query must combine.
 */

const DAY = 86_400_000;
const NIL = '00000000-0000-0000-0000-000000000000';
const T0 = Date.parse('2026-03-02T00:00:00Z');
const T_TIE = Date.parse('2026-03-03T12:00:00.000Z');

let ch: TestClickHouse;
let data: GeneratedData;
let all: PitchlineEvent[];
let a: string;
let b: string;

type AnyEvent = PitchlineEvent & Record<string, unknown>;

/** The hand-made sessions: a start, turns a few seconds apart, an end. */
function handMade(merchantId: string, seed: number) {
  const rand = mulberry32(seed);
  const out: PitchlineEvent[] = [];
  const session = (
    id: string,
    start: number,
    turns: { intent?: string; value?: string; ssml: string; at?: number }[],
  ) => {
    const base = { merchant_id: merchantId, skill_id: 'skill', user_id: `u-${id}`, session_id: id };
    out.push({
      ...base,
      event_id: seededUuid(rand),
      ts: start,
      type: 'session_start',
      locale: 'en-GB',
      has_screen: true,
      new_user: false,
    });
    for (const [i, t] of turns.entries())
      out.push({
        ...base,
        event_id: seededUuid(rand),
        ts: t.at ?? start + (i + 1) * 1000,
        type: 'turn',
        locale: 'en-GB',
        has_screen: true,
        request_id: `req-${id}-${i}`,
        request_type: 'IntentRequest',
        ...(t.intent ? { intent: t.intent } : {}),
        slots: t.value === undefined ? [] : [{ name: 'product', value: t.value, resolution: 'no_match' }],
        response_ssml: t.ssml,
        should_end_session: false,
        latency_ms: 50,
      });
    const lastTs = Math.max(start, ...turns.map((t, i) => t.at ?? start + (i + 1) * 1000));
    out.push({
      ...base,
      event_id: seededUuid(rand),
      ts: lastTs + 1,
      type: 'session_end',
      reason: 'user_stop',
    });
  };
  // Same-millisecond starts: pages must split them by id without repeating or losing one.
  for (let i = 0; i < 6; i++)
    session(`amzn1.echo-api.session.tie-${merchantId.slice(0, 4)}-${i}`, T_TIE, [
      { ssml: '<speak>Welcome to the tie.</speak>' },
    ]);
  session(`amzn1.echo-api.session.hostile-${merchantId.slice(0, 4)}`, T0 + 30 * 3_600_000, [
    {
      intent: 'SearchProductIntent',
      value: '100% arabica_beans',
      ssml: '<speak>Save 50%_off today<break time="1s"/>Really! C:\\beans\\dark (a.*b) [x] ^$ | + ? {merchantId:UUID} o\'reilly</speak>',
    },
    { ssml: '<speak>dark<break strength="weak"/>roast   special</speak>' },
  ]);
  // Starts on the range's last evening, says "zebra" after midnight: listed, and matched.
  session(`amzn1.echo-api.session.late-${merchantId.slice(0, 4)}`, Date.parse('2026-03-05T23:59:50Z'), [
    { ssml: '<speak>Midnight zebra blend.</speak>', at: Date.parse('2026-03-06T00:00:05Z') },
  ]);
  // Starts the second before the range: not listed, though its "zebra" turn falls inside.
  session(`amzn1.echo-api.session.early-${merchantId.slice(0, 4)}`, Date.parse('2026-03-01T23:59:59Z'), [
    { ssml: '<speak>Early zebra roast.</speak>', at: Date.parse('2026-03-02T00:00:03Z') },
  ]);
  return out;
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({ seed: 77, merchants: 2, sessionsPerMerchant: 300, startMs: T0, days: 4 });
  [a, b] = data.merchants as [string, string];
  all = [...data.events, ...handMade(a, 1), ...handMade(b, 2)];
  const money = new Set(['payment_succeeded', 'payment_failed', 'refund']);
  // Small batches and money last: a session's summary is spread over several unmerged rows.
  await insertGenerated(
    ch,
    all.filter((e) => !money.has(e.type)),
    997,
  );
  await insertGenerated(
    ch,
    all.filter((e) => money.has(e.type)),
    997,
  );
});
afterAll(async () => {
  await ch?.dispose();
});

// ---- the brute force: the definitions at the top of session-search.query.ts, in plain TypeScript ----

const spoken = (ssml: string) => ssml.replace(/<[^>]*>/g, ' ').replace(/[\t\n\f\r ]+/g, ' ');
const contains = (hay: string, needle: string) => hay.toLowerCase().includes(needle.toLowerCase());

function bruteSearch(events: readonly PitchlineEvent[], input: SessionSearchInput): SessionSearchRow[] {
  const p = sessionSearchSchema.parse(input);
  const bySession = new Map<string, AnyEvent[]>();
  for (const e of events) {
    if (e.merchant_id !== p.merchantId || e.type === 'request_rejected') continue;
    const list = bySession.get(e.session_id) ?? [];
    list.push(e as AnyEvent);
    bySession.set(e.session_id, list);
  }
  const turnsUntil = localMidnight(addDays(p.to, 1), p.tz) + DAY;
  const q = p.q ?? '';
  const rows: SessionSearchRow[] = [];
  for (const [sessionId, evs] of bySession) {
    const startedAt = Math.min(...evs.map((e) => e.ts));
    const day = localDay(startedAt, p.tz);
    if (day < p.from || day > p.to) continue;
    const has = (type: string) => evs.some((e) => e.type === type);
    const outcome = has('payment_succeeded')
      ? 'paid'
      : has('order_confirmed')
        ? 'ordered-not-paid'
        : has('cart_add')
          ? 'cart-abandoned'
          : 'no-cart';
    const firstTimes = (pick: (e: AnyEvent) => string | undefined) => {
      const m = new Map<string, number>();
      for (const e of evs) {
        const k = pick(e);
        if (k !== undefined) m.set(k, Math.min(m.get(k) ?? Number.POSITIVE_INFINITY, e.ts));
      }
      return [...m].sort(([ka, ta], [kb, tb]) => ta - tb || (ka < kb ? -1 : ka > kb ? 1 : 0)).map(([k]) => k);
    };
    const variantsHeard = firstTimes((e) =>
      e.type === 'pitch_exposure' ? `${e.experiment_key}:${e.variant_key}` : undefined,
    );
    const productsTouched = firstTimes((e) =>
      (e.type === 'pitch_exposure' || e.type === 'cart_add') && (e.product_id ?? NIL) !== NIL
        ? (e.product_id as string)
        : undefined,
    );
    const start = evs.find((e) => e.type === 'session_start');
    const ends = evs.filter((e) => e.type === 'session_end');
    const endedAt = ends.length ? Math.min(...ends.map((e) => e.ts)) : Math.max(...evs.map((e) => e.ts));
    const turns = evs.filter((e) => e.type === 'turn');
    const money = new Map<string, { currency: string; amount: number; refunded: number }>();
    for (const e of evs) {
      if (e.type !== 'payment_succeeded' && e.type !== 'refund') continue;
      const cur = e.currency as string;
      const m = money.get(cur) ?? { currency: cur, amount: 0, refunded: 0 };
      if (e.type === 'payment_succeeded') m.amount += e.amount as number;
      else m.refunded += e.amount as number;
      money.set(cur, m);
    }
    const row: SessionSearchRow = {
      sessionId,
      startedAt,
      durationMs: Math.max(0, endedAt - startedAt),
      turns: turns.length,
      outcome,
      revenue: [...money.values()].sort((x, y) => (x.currency < y.currency ? -1 : 1)),
      variantsHeard,
      productsTouched,
      locale: (start?.locale as string | undefined) ?? '',
      device: start ? (start.has_screen ? 'screen' : 'voice') : '',
      endReason:
        ends
          .map((e) => e.reason as string)
          .sort()
          .at(-1) ?? '',
    };
    if (p.outcome !== 'all' && row.outcome !== p.outcome) continue;
    if (p.variant !== undefined && !variantsHeard.includes(p.variant)) continue;
    if (p.productId !== undefined && !productsTouched.includes(p.productId)) continue;
    if (p.locale !== undefined && row.locale !== p.locale) continue;
    if (p.device !== undefined && row.device !== p.device) continue;
    if (p.minTurns !== undefined && row.turns < p.minTurns) continue;
    if (
      q &&
      sessionId !== q &&
      !turns.some(
        (t) =>
          t.ts < turnsUntil &&
          (contains((t.intent as string | undefined) ?? '', q) ||
            (t.slots as { value: string }[]).some((s) => contains(s.value, q)) ||
            contains(spoken(t.response_ssml as string), q)),
      )
    )
      continue;
    rows.push(row);
  }
  return rows.sort(
    (x, y) =>
      y.startedAt - x.startedAt || (x.sessionId < y.sessionId ? 1 : x.sessionId > y.sessionId ? -1 : 0),
  );
}

/** Every page of a search, following the cursors. */
async function allPages(input: SessionSearchInput): Promise<SessionSearchRow[]> {
  const out: SessionSearchRow[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await querySessionSearch(ch, { ...input, ...(cursor ? { cursor } : {}) });
    expect(page.sessions.length).toBeLessThanOrEqual(input.limit ?? 50);
    out.push(...page.sessions);
    if (!page.nextCursor) return out;
    expect(page.sessions.length).toBe(input.limit ?? 50);
    cursor = page.nextCursor;
  }
  throw new Error('the cursors never ended');
}

const whole = { from: '2026-03-02', to: '2026-03-05', tz: 'UTC' };

describe('session search against a brute-force recomputation', () => {
  it('lists every session of the range once, newest first, across pages of every size', async () => {
    const want = bruteSearch(all, { merchantId: a, ...whole });
    expect(want.length).toBeGreaterThan(300);
    const first = await querySessionSearch(ch, { merchantId: a, ...whole });
    expect(first.sessions).toEqual(want.slice(0, 50));
    for (const limit of [200, 37, 7]) {
      const got = await allPages({ merchantId: a, ...whole, limit });
      expect(got).toEqual(want);
      expect(new Set(got.map((r) => r.sessionId)).size).toBe(got.length);
    }
    // The same-millisecond sessions sit together, split across pages of 4 and still all there once.
    const ties = want.filter((r) => r.startedAt === T_TIE).map((r) => r.sessionId);
    expect(ties).toHaveLength(6);
    const pages = await allPages({ merchantId: a, ...whole, limit: 4 });
    expect(pages.filter((r) => r.startedAt === T_TIE).map((r) => r.sessionId)).toEqual(ties);
  });

  it('filters by outcome, variant, product, locale, device and turns, in the merchant time zone', async () => {
    const product = (data.products.get(a) ?? [])[2]?.id as string;
    const cases: SessionSearchInput[] = [
      ...(['paid', 'ordered-not-paid', 'cart-abandoned', 'no-cart'] as const).map((outcome) => ({
        merchantId: a,
        ...whole,
        outcome,
      })),
      { merchantId: a, from: '2026-03-03', to: '2026-03-04', tz: 'America/Los_Angeles', outcome: 'paid' },
      { merchantId: a, from: '2026-03-02', to: '2026-03-03', tz: 'Pacific/Auckland' },
      { merchantId: a, ...whole, variant: 'voice-pitch:story', device: 'screen' },
      { merchantId: a, ...whole, variant: 'price-anchor:anchor', outcome: 'cart-abandoned' },
      { merchantId: a, ...whole, productId: product.toUpperCase(), minTurns: 5 },
      { merchantId: a, ...whole, locale: 'de-DE', device: 'voice', minTurns: 3 },
      { merchantId: a, ...whole, q: 'coffee', locale: 'en-US' },
      { merchantId: a, ...whole, q: 'AddToCart', outcome: 'ordered-not-paid' },
      { merchantId: b, ...whole, q: 'pitch (story)', variant: 'voice-pitch:story' },
      {
        merchantId: b,
        from: '2026-03-01',
        to: '2026-03-09',
        tz: 'Asia/Kolkata',
        outcome: 'paid',
        minTurns: 8,
      },
    ];
    for (const input of cases) {
      const want = bruteSearch(all, input);
      expect(want.length, JSON.stringify(input)).toBeGreaterThan(0);
      expect(await allPages({ ...input, limit: 25 }), JSON.stringify(input)).toEqual(want);
    }
    // Paid sessions carry their money; the refunds that came days later are counted too.
    const paid = bruteSearch(all, cases[0] as SessionSearchInput);
    expect(paid.every((r) => r.revenue.some((m) => m.amount > 0))).toBe(true);
    expect(paid.some((r) => r.revenue.some((m) => m.refunded > 0))).toBe(true);
  });

  it('matches what the shopper and Alexa said, as plain text, case-insensitively', async () => {
    const expectations: [string, string[] | 'some'][] = [
      ['zebra', [`amzn1.echo-api.session.late-${a.slice(0, 4)}`]],
      ['ZEBRA blend', [`amzn1.echo-api.session.late-${a.slice(0, 4)}`]],
      ['50%_off', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['100% ARABICA_', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['c:\\beans\\dark', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['(a.*b) [x] ^$ | + ?', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['  dark   roast special ', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      // Markup is not speech: neither tag names nor a word split by a tag match.
      ['speak', []],
      ['break', []],
      ['k<b', []],
      ['%', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['.*', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['_', [`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]],
      ['%%', []],
      ['x_y', []],
      ['Fallback', 'some'],
      ['crème BRÛLÉE', 'some'],
      ['抹茶', 'some'],
      ["o'reilly", 'some'],
      ['chai \\ latte', 'some'],
      ['{merchantId:UUID}', 'some'],
      ["'; DROP TABLE events; --", 'some'],
    ];
    for (const [q, expected] of expectations) {
      const input = { merchantId: a, ...whole, q, limit: 200 };
      const want = bruteSearch(all, input);
      const got = await allPages(input);
      expect(got, q).toEqual(want);
      if (expected === 'some') expect(want.length, q).toBeGreaterThan(0);
      else
        expect(
          got.map((r) => r.sessionId),
          q,
        ).toEqual(expected);
    }
    // The exact session id finds that session (and only in its own merchant).
    const id = bruteSearch(all, { merchantId: a, ...whole })[17]?.sessionId as string;
    expect(
      (await querySessionSearch(ch, { merchantId: a, ...whole, q: id })).sessions.map((r) => r.sessionId),
    ).toEqual([id]);
    expect((await querySessionSearch(ch, { merchantId: b, ...whole, q: id })).sessions).toEqual([]);
  });

  it('counts a session by the day it started: the range ends include and exclude the right ones', async () => {
    const late = `amzn1.echo-api.session.late-${a.slice(0, 4)}`;
    const early = `amzn1.echo-api.session.early-${a.slice(0, 4)}`;
    const ids = async (input: SessionSearchInput) =>
      (await allPages({ ...input, limit: 200 })).map((r) => r.sessionId);
    expect(await ids({ merchantId: a, ...whole, q: 'zebra' })).toEqual([late]);
    expect(await ids({ merchantId: a, ...whole, from: '2026-03-01', q: 'zebra' })).toEqual([late, early]);
    expect(await ids({ merchantId: a, ...whole, to: '2026-03-04', q: 'zebra' })).toEqual([]);
    // In Berlin the late session began on the 6th (outside) and the early one on the 2nd (inside).
    expect(await ids({ merchantId: a, ...whole, tz: 'Europe/Berlin', q: 'zebra' })).toEqual([early]);
  });
});

describe('session search is tenant-scoped and inert to hostile input', () => {
  it("never shows another merchant's sessions", async () => {
    const mine = await allPages({
      merchantId: a,
      from: '2026-01-01',
      to: '2026-12-31',
      tz: 'UTC',
      limit: 200,
    });
    const theirs = new Set(all.filter((e) => e.merchant_id === b).map((e) => e.session_id));
    const ownIds = new Set(all.filter((e) => e.merchant_id === a).map((e) => e.session_id));
    ownIds.delete('unknown');
    expect(mine.length).toBe(ownIds.size);
    for (const r of mine) expect(theirs.has(r.sessionId)).toBe(false);
    const products = new Set((data.products.get(b) ?? []).map((p) => p.id));
    for (const r of mine) for (const p of r.productsTouched) expect(products.has(p)).toBe(false);
    // B's text is not searchable from A: the tie sessions' ids differ, their words are the same.
    const hostileB = `amzn1.echo-api.session.hostile-${b.slice(0, 4)}`;
    expect((await querySessionSearch(ch, { merchantId: a, ...whole, q: hostileB })).sessions).toEqual([]);
    expect(
      (await querySessionSearch(ch, { merchantId: a, ...whole, q: '50%_off' })).sessions.map(
        (r) => r.sessionId,
      ),
    ).toEqual([`amzn1.echo-api.session.hostile-${a.slice(0, 4)}`]);
    const nobody = '0195a3c4-0000-7000-8000-00000000abcd';
    expect(await querySessionSearch(ch, { merchantId: nobody, ...whole })).toEqual({
      sessions: [],
      nextCursor: null,
    });
  });

  it('hostile search text returns the right (mostly empty) answers, never an error or a change', async () => {
    const count = async () =>
      Number(
        (
          await (
            await ch.client.query({
              query: `SELECT count() AS n FROM ${ch.database}.events`,
              format: 'JSONEachRow',
            })
          ).json<{ n: number | string }>()
        )[0]?.n,
      );
    const before = await count();
    const hostile = [
      "' OR 1=1 --",
      "x') OR ('1'='1",
      "' || '",
      "\\'",
      '\\',
      '\\\\',
      '%',
      '_%',
      '\\%',
      '(',
      '[',
      '^',
      '$',
      '|',
      '?',
      '+',
      '*',
      '.',
      '{q:String}',
      '{merchantId:UUID}',
      '}',
      '\t\n\r',
      'a\u0000b',
      '\u0000',
      '😀 ünï',
      '<speak>',
      '</',
      '"',
      '`',
      ';',
      '\u202e',
      'x'.repeat(200),
    ];
    for (const q of hostile) {
      const input = { merchantId: a, ...whole, q, limit: 200 };
      expect(await allPages(input), JSON.stringify(q)).toEqual(bruteSearch(all, input));
    }
    expect(await count()).toBe(before);
    expect(before).toBe(all.length);
  });

  it('refuses what has no safe meaning, with a ZodError naming the field', async () => {
    const ok = { merchantId: a, ...whole };
    const bad: [Partial<SessionSearchInput> & Record<string, unknown>, string][] = [
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'x'.repeat(10_240) }, 'q'],
      [{ outcome: 'refunded' as never }, 'outcome'],
      [{ variant: 'no-colon' }, 'variant'],
      [{ productId: "' OR 1=1 --" }, 'productId'],
      [{ locale: "en'--" }, 'locale'],
      [{ device: 'watch' as never }, 'device'],
      [{ minTurns: -1 }, 'minTurns'],
      [{ minTurns: 1.5 }, 'minTurns'],
      [{ limit: 201 }, 'limit'],
      [{ limit: 0 }, 'limit'],
      [{ cursor: 'not a cursor' }, 'cursor'],
      [{ cursor: Buffer.from('["x","y"]').toString('base64url') }, 'cursor'],
      [{ cursor: Buffer.from('{"__proto__":1}').toString('base64url') }, 'cursor'],
      [{ tz: "UTC'); DROP TABLE events; --" }, 'tz'],
      [{ merchantId: "' OR 1=1 --" }, 'merchantId'],
      [{ from: '2026-03-09' }, 'to'],
    ];
    for (const [override, field] of bad) {
      const error = await querySessionSearch(ch, { ...ok, ...override } as SessionSearchInput).catch(
        (e) => e,
      );
      expect(error, field).toBeInstanceOf(ZodError);
      expect(
        (error as ZodError).issues.map((i) => i.path[0]),
        field,
      ).toContain(field);
    }
    expect(normaliseQuery(' \t a \n b  ')).toBe('a b');
  });
});
