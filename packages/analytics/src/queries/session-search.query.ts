import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import type { Figure } from '../metrics/catalogue';
import { figure } from '../metrics/figures';
import { NEVER_TS, qualified, TABLES } from '../tables';
import { checkRange, dateRangeShape } from './params';
import { selectRows, TS_FROM, TS_TO_EXCL } from './run';

/**
 * Finding sessions to read: one merchant's sessions that started on a local day of the range, newest
 * first, filtered by what was said and by what happened.
 *
 * Semantics (session-search.int.test.ts recomputes exactly this in TypeScript):
 * - A session is every event of one session id except rejected requests. It is listed when its
 *   session_start falls on a local day in [from, to]: the one definition of the range's sessions
 *   (sessions.ts), so `total` is the overview's session count. Late events alone (a payment or a
 *   session_end whose session_start is outside the range or missing) do not make a session of the range.
 * - Outcome, by precedence: `paid` (a payment_succeeded), `ordered-not-paid` (an order_confirmed),
 *   `cart-abandoned` (a cart_add), else `no-cart`.
 * - `q` (trimmed, whitespace runs collapsed) matches the exact session id, or, case-insensitively as a
 *   plain substring (no wildcards, no regex: `%`, `_`, `.*` are just characters), any turn's intent
 *   name, slot value as the shopper said it, or what Alexa said: the response SSML with its tags read
 *   as spaces and whitespace collapsed, as the transcript page shows it (so `speak` or `break` do not
 *   match every session). Turns count up to one day past the range's end, for sessions that began on
 *   its last evening.
 * - Duration runs from the start to the session_end event, or to the latest event when none was recorded.
 * - Revenue per currency: payments captured (`amount`) and refunds given back (`refunded`), whenever
 *   they arrived, in integer minor units.
 */

export const SESSION_OUTCOMES = ['paid', 'ordered-not-paid', 'cart-abandoned', 'no-cart'] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export interface SessionRevenue {
  currency: string;
  /** Captured by payment_succeeded, minor units. */
  amount: number;
  /** Given back by refunds, minor units. */
  refunded: number;
}

export interface SessionSearchRow {
  sessionId: string;
  /** ms since epoch. */
  startedAt: number;
  durationMs: number;
  turns: number;
  outcome: SessionOutcome;
  /** One entry per currency paid or refunded in; empty when no money moved. */
  revenue: SessionRevenue[];
  /** "expKey:variantKey", in the order first heard. */
  variantsHeard: string[];
  /** Product ids pitched or added to the cart, in the order first touched. */
  productsTouched: string[];
  /** The variants and products with their names, filled in by the API from Postgres. */
  variantsHeardNamed?: { key: string; name: string }[];
  productsTouchedNamed?: { id: string; name: string }[];
  locale: string;
  /** 'screen' | 'voice', or '' when the session start was not recorded. */
  device: string;
  endReason: string;
}

export interface SessionSearchPage {
  sessions: SessionSearchRow[];
  /** How many sessions match the filters in all (metric `sessions` when no filter is set). */
  total: number;
  /** Without filters, `total` is the range's session count: the same figure as every other page's. */
  figures: { sessions?: Figure<'sessions'> };
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Longer than any sensible search; a 10 KB paste is a mistake (or an attack) and gets a 400. */
export const SESSION_QUERY_MAX_LENGTH = 200;

interface Cursor {
  startedAt: number;
  sessionId: string;
}

const cursorShape = z.tuple([z.number().int().min(0).max(1e15), z.string().min(1).max(200)]);

/** Opaque to callers: the last row's (start, id), so the next page resumes strictly after it. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.sessionId]), 'utf8').toString('base64url');
}

function decodeCursor(raw: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
  try {
    const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? { startedAt: parsed.data[0], sessionId: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}

/** What `q` means after normalising; '' means no text filter. Exported for the brute-force test. */
export function normaliseQuery(q: string): string {
  // ASCII whitespace only, the same class as RE2's \s in SPOKEN, so both sides collapse alike.
  return q.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '');
}

export const sessionSearchSchema = z
  .object({
    ...dateRangeShape,
    q: z
      .string()
      .max(SESSION_QUERY_MAX_LENGTH, `search text is at most ${SESSION_QUERY_MAX_LENGTH} characters`)
      .transform(normaliseQuery)
      .optional(),
    outcome: z.enum([...SESSION_OUTCOMES, 'all']).default('all'),
    variant: z
      .string()
      .max(201)
      .regex(/^[^:]+:.+$/, 'a variant is "experimentKey:variantKey"')
      .optional(),
    productId: z
      .uuid()
      .transform((s) => s.toLowerCase())
      .optional(),
    locale: z
      .string()
      .max(35)
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a locale such as en-US')
      .optional(),
    device: z.enum(['screen', 'voice']).optional(),
    minTurns: z.number().int().min(0).max(100_000).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(400)
      .transform((raw, ctx) => {
        const c = decodeCursor(raw);
        if (!c) {
          ctx.addIssue({ code: 'custom', message: 'not a cursor this search returned' });
          return z.NEVER;
        }
        return c;
      })
      .optional(),
  })
  .superRefine(checkRange);
export type SessionSearchInput = z.input<typeof sessionSearchSchema>;

const rowSchema = z.object({
  session_id: z.string(),
  started_at: z.coerce.number(),
  ended_at: z.coerce.number(),
  turn_count: z.coerce.number(),
  outcome: z.enum(SESSION_OUTCOMES),
  variants: z.array(z.string()),
  products: z.array(z.string()),
  locale: z.string(),
  device: z.string(),
  end_reason: z.string(),
});

const totalRow = z.object({ total: z.coerce.number() });

const moneyRow = z.object({
  session_id: z.string(),
  currency: z.string(),
  paid: z.coerce.number(),
  refunded: z.coerce.number(),
});

/** SSML as the transcript page shows it: tags read as spaces, whitespace collapsed. */
const SPOKEN = `replaceRegexpAll(replaceRegexpAll(response_ssml, '<[^>]*>', ' '), '\\\\s+', ' ')`;

/**
 * positionCaseInsensitiveUTF8 rather than ILIKE: a substring search has no wildcards at all, so the
 * shopper's `%`, `_` and backslashes need no escaping to stay literal.
 *
 * The SPOKEN rewrite (two regexes per turn) is the dear part, so it runs only on turns whose raw SSML
 * holds every word of `q`: a word has no whitespace, and SPOKEN turns tags into spaces and only
 * collapses whitespace, so any run of non-space characters in SPOKEN is a run of the raw SSML too. That
 * makes the check a necessary condition (never changes the answer) for a multi-word `q` as well, where a
 * tag or a line break may sit between the words. Measured at 10M events (one merchant, 488k turns in the
 * range, same data and load): q='did not catch' 356 -> 202 ms end to end; the regex alone over those turns
 * costs 247 ms, the raw-SSML word checks 71 ms.
 */
function textMatch(db: string, words: number): string {
  // One parameter per word: arrayAll(w -> …, {words:Array(String)}) cost 324 ms against 71 ms for the
  // same check spelled out (the lambda runs per row); the SQL text depends only on the word count.
  const inRaw = Array.from(
    { length: words },
    (_, i) => `positionCaseInsensitiveUTF8(response_ssml, {qw${i}:String}) > 0`,
  ).join(' AND ');
  // The events' sort key starts (merchant_id, toDate(ts), type): tenant, days and turns prune the scan.
  return `(session_id = {q:String} OR session_id IN (
    SELECT session_id FROM ${qualified(db, TABLES.events)}
    WHERE merchant_id = {merchantId:UUID} AND type = 'turn'
      AND ts >= ${TS_FROM} AND ts < ${TS_TO_EXCL} + INTERVAL 1 DAY
      AND (positionCaseInsensitiveUTF8(intent, {q:String}) > 0
        OR arrayExists(v -> positionCaseInsensitiveUTF8(v, {q:String}) > 0, slots.value)
        OR (${inRaw}
          AND positionCaseInsensitiveUTF8(${SPOKEN}, {q:String}) > 0))))`;
}

/** A session's outcome, by precedence (see above); the `outcome` filter compares it. */
const OUTCOME = `multiIf(t_payment_succeeded != ${NEVER_TS}, 'paid',
    t_order_confirmed != ${NEVER_TS}, 'ordered-not-paid',
    t_cart_add != ${NEVER_TS}, 'cart-abandoned',
    'no-cart')`;

/** One merchant's sessions matching the filters, newest first, one page at a time. */
export async function querySessionSearch(
  ch: ClickHouseHandle,
  input: SessionSearchInput,
): Promise<SessionSearchPage> {
  const p = sessionSearchSchema.parse(input);
  const db = ch.database;
  const params: Record<string, unknown> = {
    merchantId: p.merchantId,
    from: p.from,
    to: p.to,
    tz: p.tz,
    // One row more than the page: its presence says there is a next page.
    take: p.limit + 1,
  };
  const where: string[] = [];
  if (p.outcome !== 'all') {
    params.outcome = p.outcome;
    where.push('outcome = {outcome:String}');
  }
  if (p.variant !== undefined) {
    params.variant = p.variant;
    where.push('has(variant_first.1, {variant:String})');
  }
  if (p.productId !== undefined) {
    params.productId = p.productId;
    where.push('has(product_first.1, {productId:String})');
  }
  if (p.locale !== undefined) {
    params.locale = p.locale;
    where.push('locale = {locale:String}');
  }
  if (p.device !== undefined) {
    params.device = p.device;
    where.push('device = {device:String}');
  }
  if (p.minTurns !== undefined) {
    params.minTurns = p.minTurns;
    where.push('turns >= {minTurns:UInt64}');
  }
  if (p.q) {
    params.q = p.q;
    const words = p.q.split(' ');
    for (const [i, w] of words.entries()) params[`qw${i}`] = w;
    where.push(textMatch(db, words.length));
  }
  // The count is of every page: the filters without the cursor.
  const filtersSql = where.map((w) => `\n  AND ${w}`).join('');
  if (p.cursor) {
    params.cursorTs = p.cursor.startedAt;
    params.cursorId = p.cursor.sessionId;
    // Keyset on (start, id) descending: ties on the millisecond are ordered by id, so no row repeats
    // or goes missing between pages, and a page costs the same however deep it is.
    where.push(`(first_ts < fromUnixTimestamp64Milli({cursorTs:Int64}, 'UTC')
    OR (first_ts = fromUnixTimestamp64Milli({cursorTs:Int64}, 'UTC') AND session_id < {cursorId:String}))`);
  }

  const scope = `merchant_id = {merchantId:UUID}
  AND t_session_start >= ${TS_FROM} AND t_session_start < ${TS_TO_EXCL}`;
  // FINAL merges the rows of a session written by different inserts (a payment arrives after the
  // dialog) before WHERE sees them; ClickHouse keeps non-key filters after the FINAL merge.
  const sql = `
SELECT session_id,
  toUnixTimestamp64Milli(first_ts) AS started_at,
  toUnixTimestamp64Milli(if(t_session_end != ${NEVER_TS}, t_session_end, last_ts)) AS ended_at,
  toUInt32(turns) AS turn_count,
  ${OUTCOME} AS outcome,
  arrayMap(x -> x.2, arraySort(arrayZip(variant_first.2, variant_first.1))) AS variants,
  arrayMap(x -> x.2, arraySort(arrayZip(product_first.2, product_first.1))) AS products,
  locale, device, end_reason
FROM ${qualified(db, TABLES.sessionSummary)} FINAL
WHERE ${scope}${where.map((w) => `\n  AND ${w}`).join('')}
ORDER BY first_ts DESC, session_id DESC
LIMIT {take:UInt32}`;
  const [rows, [counted]] = await Promise.all([
    selectRows(ch, sql, params, rowSchema),
    selectRows(
      ch,
      `SELECT toUInt32(count()) AS total FROM (
  SELECT session_id, ${OUTCOME} AS outcome FROM ${qualified(db, TABLES.sessionSummary)} FINAL WHERE ${scope}${filtersSql})`,
      params,
      totalRow,
    ),
  ]);
  const page = rows.slice(0, p.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > p.limit && last
      ? encodeCursor({ startedAt: last.started_at, sessionId: last.session_id })
      : null;

  const money = new Map<string, SessionRevenue[]>();
  if (page.length > 0) {
    // Money is not in the session summary: read the page's payment and refund events only, from the
    // page's earliest start on (money never precedes its session).
    const moneyRows = await selectRows(
      ch,
      `
SELECT session_id, currency,
  toInt64(sumIf(amount, type = 'payment_succeeded')) AS paid,
  toInt64(sumIf(amount, type = 'refund')) AS refunded
FROM ${qualified(db, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type IN ('payment_succeeded', 'refund')
  AND ts >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
  AND session_id IN {ids:Array(String)}
GROUP BY session_id, currency
ORDER BY session_id, currency`,
      {
        merchantId: p.merchantId,
        since: Math.min(...page.map((r) => r.started_at)),
        ids: page.map((r) => r.session_id),
      },
      moneyRow,
    );
    for (const m of moneyRows) {
      const list = money.get(m.session_id) ?? [];
      list.push({ currency: m.currency, amount: m.paid, refunded: m.refunded });
      money.set(m.session_id, list);
    }
  }

  return {
    sessions: page.map((r) => ({
      sessionId: r.session_id,
      startedAt: r.started_at,
      durationMs: Math.max(0, r.ended_at - r.started_at),
      turns: r.turn_count,
      outcome: r.outcome,
      revenue: money.get(r.session_id) ?? [],
      variantsHeard: r.variants,
      productsTouched: r.products,
      locale: r.locale,
      device: r.device,
      endReason: r.end_reason,
    })),
    total: counted?.total ?? 0,
    figures: where.length === (p.cursor ? 1 : 0) ? { sessions: figure('sessions', counted?.total ?? 0) } : {},
    nextCursor,
  };
}
