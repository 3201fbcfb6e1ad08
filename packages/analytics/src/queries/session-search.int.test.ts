import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import {
  normaliseQuery,
  querySessionSearch,
  type SessionSearchInput,
  type SessionSearchRow,
} from './session-search.query';
import { bruteSessionSearch } from './testing/brute-session-search';
import { type GeneratedData, generateEvents, mulberry32, seededUuid } from './testing/generate';
import { insertGenerated } from './testing/insert';

/*
 * The session search against a brute-force recomputation over the same generated traffic (plus a few
 * hand-made sessions: same-millisecond starts, hostile speech, sessions straddling the range's ends),
 * page by page. Payments are inserted after the dialogs, as webhooks deliver them, so every paid
 * session's summary is two unmerged rows that the query must combine.
 */

const T0 = Date.parse('2026-03-02T00:00:00Z');
const T_TIE = Date.parse('2026-03-03T12:00:00.000Z');

let ch: TestClickHouse;
let data: GeneratedData;
let all: PitchlineEvent[];
let a: string;
let b: string;

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
    const want = bruteSessionSearch(all, { merchantId: a, ...whole });
    expect(want.length).toBeGreaterThan(300);
    const first = await querySessionSearch(ch, { merchantId: a, ...whole });
    expect(first.sessions).toEqual(want.slice(0, 50));
    expect(first.total).toBe(want.length);
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
      const want = bruteSessionSearch(all, input);
      expect(want.length, JSON.stringify(input)).toBeGreaterThan(0);
      expect(await allPages({ ...input, limit: 25 }), JSON.stringify(input)).toEqual(want);
    }
    // Paid sessions carry their money; the refunds that came days later are counted too.
    const paid = bruteSessionSearch(all, cases[0] as SessionSearchInput);
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
      const want = bruteSessionSearch(all, input);
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
    const id = bruteSessionSearch(all, { merchantId: a, ...whole })[17]?.sessionId as string;
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
      total: 0,
      figures: { sessions: { metric: 'sessions', value: 0 } },
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
      expect(await allPages(input), JSON.stringify(q)).toEqual(bruteSessionSearch(all, input));
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
