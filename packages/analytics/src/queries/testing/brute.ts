import type { PitchlineEvent } from '@pitchline/core';
import {
  addDaysToLocalDate as addDays,
  localDateOf as localDay,
  startOfLocalDate as localMidnight,
} from '@pitchline/core/time-zone';
import type { FunnelSpec, FunnelStep } from '../funnel-spec';
import type { Filter } from '../params';
import { type SessionSearchInput, type SessionSearchRow, sessionSearchSchema } from '../session-search.query';

/**
 * Brute-force recomputations of every query in plain TypeScript, from the definitions written beside
 * the queries. Slow and obvious on purpose: the tests compare them with the SQL results.
 */

const DAY = 86_400_000;

export { addDays, localDay, localMidnight };

/** ClickHouse's quantileExact: the element at ⌊level·n⌋ of the sorted values. */
export function quantileExact(values: number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))] as number;
}

function field(e: PitchlineEvent, f: Filter['field']): string {
  const r = e as unknown as Record<string, unknown>;
  switch (f) {
    case 'has_screen':
      return r.has_screen === true ? 'true' : 'false';
    case 'product_id':
      return (r.product_id as string | undefined) ?? '00000000-0000-0000-0000-000000000000';
    default:
      return (r[f] as string | undefined) ?? '';
  }
}

export function matchesStep(e: PitchlineEvent, s: FunnelStep): boolean {
  if (e.type !== s.type) return false;
  return s.filters.every((f) => (f.op === 'in') === f.values.includes(field(e, f.field)));
}

export function sortEvents(events: readonly PitchlineEvent[]): PitchlineEvent[] {
  return [...events].sort((a, b) => a.ts - b.ts);
}

export interface BruteUnit {
  unit: string;
  f: (number | null)[];
  bd: string;
  level: number;
}

function firstBy(
  events: PitchlineEvent[],
  pred: (e: PitchlineEvent) => boolean,
  val: (e: PitchlineEvent) => string,
): string {
  const e = events.find(pred);
  return e ? val(e) : '';
}

function breakdownOf(spec: FunnelSpec, evs: PitchlineEvent[]): string {
  const nil = '00000000-0000-0000-0000-000000000000';
  switch (spec.breakdown) {
    case 'none':
      return '';
    case 'variant':
      return firstBy(
        evs,
        (e) =>
          e.type === 'pitch_exposure' &&
          (spec.experimentKey === undefined || e.experiment_key === spec.experimentKey),
        (e) => {
          const x = e as Extract<PitchlineEvent, { type: 'pitch_exposure' }>;
          return spec.experimentKey === undefined ? `${x.experiment_key}:${x.variant_key}` : x.variant_key;
        },
      );
    case 'experiment':
      return firstBy(
        evs,
        (e) => e.type === 'pitch_exposure',
        (e) => (e as { experiment_key: string }).experiment_key,
      );
    case 'locale':
      return firstBy(
        evs,
        (e) => e.type === 'session_start',
        (e) => (e as { locale: string }).locale,
      );
    case 'device':
      return firstBy(
        evs,
        (e) => e.type === 'session_start',
        (e) => ((e as { has_screen: boolean }).has_screen ? 'screen' : 'voice'),
      );
    case 'product':
      return firstBy(
        evs,
        (e) => (e.type === 'pitch_exposure' || e.type === 'cart_add') && (e.product_id ?? nil) !== nil,
        (e) => (e as { product_id: string }).product_id,
      );
  }
}

/** Every unit that entered the funnel, with its first-step times, breakdown value and level. */
export function bruteFunnelUnits(all: readonly PitchlineEvent[], spec: FunnelSpec): BruteUnit[] {
  const lo = localMidnight(spec.from, spec.tz) - DAY;
  const hi = localMidnight(addDays(spec.to, 1), spec.tz) + spec.windowSeconds * 1000;
  const byUnit = new Map<string, PitchlineEvent[]>();
  for (const e of sortEvents(all)) {
    if (e.merchant_id !== spec.merchantId || e.ts < lo || e.ts >= hi) continue;
    const key = spec.unit === 'session' ? e.session_id : e.user_id;
    const list = byUnit.get(key);
    if (list) list.push(e);
    else byUnit.set(key, [e]);
  }
  const W = spec.windowSeconds * 1000;
  const out: BruteUnit[] = [];
  for (const [unit, evs] of byUnit) {
    const f = spec.steps.map((s) => evs.find((e) => matchesStep(e, s))?.ts ?? null);
    const f1 = f[0];
    if (f1 === null || f1 === undefined) continue;
    const day = localDay(f1, spec.tz);
    if (day < spec.from || day > spec.to) continue;
    if (spec.exclusions.some((x) => evs.some((e) => matchesStep(e, x)))) continue;
    let level = 1;
    for (let k = 1; k < f.length; k++) {
      const fk = f[k];
      if (fk === null || fk === undefined) break;
      const upTo = f.slice(0, k + 1) as number[];
      if (spec.mode === 'any_order') {
        if (Math.max(...upTo) - Math.min(...upTo) > W) break;
      } else {
        const prev = f[k - 1] as number;
        if (spec.mode === 'strict' ? !(prev < fk) : !(prev <= fk)) break;
        if (fk - f1 > W) break;
      }
      level = k + 1;
    }
    out.push({ unit, f, bd: breakdownOf(spec, evs), level });
  }
  return out;
}

export function bruteFunnel(all: readonly PitchlineEvent[], spec: FunnelSpec) {
  const units = bruteFunnelUnits(all, spec);
  const groups = new Map<string, BruteUnit[]>();
  for (const u of units) {
    const g = spec.breakdown === 'none' ? '' : u.bd === '' ? '(none)' : u.bd;
    groups.set(g, [...(groups.get(g) ?? []), u]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, us]) => ({
      group,
      counts: spec.steps.map((_, i) => us.filter((u) => u.level >= i + 1).length),
      gaps: spec.steps.map((_, i) => {
        if (i === 0) return [];
        return us
          .filter((u) => u.level >= i + 1)
          .map(
            (u) =>
              Math.max(...(u.f.slice(0, i + 1) as number[])) - Math.max(...(u.f.slice(0, i) as number[])),
          );
      }),
    }));
}

type Money = { type: string; amount: number; currency: string; order_id: string; variants: string[] };

function inLocalRange(ts: number, p: { from: string; to: string; tz: string }): boolean {
  const d = localDay(ts, p.tz);
  return d >= p.from && d <= p.to;
}

function moneyEvents(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  return all.filter(
    (e) =>
      e.merchant_id === p.merchantId &&
      (e.type === 'payment_succeeded' || e.type === 'refund') &&
      inLocalRange(e.ts, p),
  ) as (PitchlineEvent & Money)[];
}

export interface BruteMoney {
  gross: number;
  refunds: number;
  orders: number;
}

function addMoney(map: Map<string, BruteMoney>, key: string, e: Money) {
  const m = map.get(key) ?? { gross: 0, refunds: 0, orders: 0 };
  if (e.type === 'payment_succeeded') {
    m.gross += e.amount;
    m.orders++;
  } else m.refunds += e.amount;
  map.set(key, m);
}

export function bruteRevenue(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const byCurrency = new Map<string, BruteMoney>();
  for (const e of moneyEvents(all, p)) addMoney(byCurrency, e.currency, e);
  const mine = all.filter((e) => e.merchant_id === p.merchantId && inLocalRange(e.ts, p));
  const sessions = mine.filter((e) => e.type === 'session_start').length;
  const exposedUsers = new Set(mine.filter((e) => e.type === 'pitch_exposure').map((e) => e.user_id)).size;
  return { byCurrency, sessions, exposedUsers };
}

export function bruteRevenueBy(
  all: readonly PitchlineEvent[],
  p: {
    merchantId: string;
    from: string;
    to: string;
    tz: string;
    by: 'day' | 'locale' | 'variant';
    experimentKey?: string;
  },
) {
  const locales = new Map<string, string>();
  for (const e of all)
    if (e.type === 'session_start' && e.merchant_id === p.merchantId) locales.set(e.session_id, e.locale);
  const out = new Map<string, BruteMoney>();
  for (const e of moneyEvents(all, p)) {
    let keys: string[];
    if (p.by === 'day') keys = [localDay(e.ts, p.tz)];
    else if (p.by === 'locale') keys = [locales.get(e.session_id) || '(none)'];
    else {
      const chosen = e.variants.filter(
        (v) => p.experimentKey === undefined || v.startsWith(`${p.experimentKey}:`),
      );
      keys = chosen.length ? chosen : ['(none)'];
    }
    for (const k of keys) addMoney(out, `${k}|${e.currency}`, e);
  }
  return out;
}

export function bruteRevenueByProduct(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const paid = new Set(
    moneyEvents(all, p)
      .filter((e) => e.type === 'payment_succeeded')
      .map((e) => e.session_id),
  );
  const lo = localMidnight(p.from, p.tz) - DAY;
  const hi = localMidnight(addDays(p.to, 1), p.tz);
  const out = new Map<string, { amount: number; sessions: Set<string> }>();
  for (const e of all) {
    if (e.merchant_id !== p.merchantId || (e.type !== 'cart_add' && e.type !== 'cart_remove')) continue;
    if (e.ts < lo || e.ts >= hi || !paid.has(e.session_id)) continue;
    const key = `${e.product_id}|${e.currency}`;
    const r = out.get(key) ?? { amount: 0, sessions: new Set<string>() };
    r.amount += (e.type === 'cart_add' ? 1 : -1) * e.quantity * e.unit_amount;
    r.sessions.add(e.session_id);
    out.set(key, r);
  }
  return out;
}

type Turn = Extract<PitchlineEvent, { type: 'turn' }>;

function inRangeOf(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
  type: string,
) {
  return all.filter((e) => e.merchant_id === p.merchantId && e.type === type && inLocalRange(e.ts, p));
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

const byCountThenKey = <T extends { n: number; k: string }>(a: T, b: T) =>
  b.n - a.n || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);

export function bruteTopIntents(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string; limit: number },
) {
  const turns = (inRangeOf(all, p, 'turn') as Turn[]).filter(
    (t) => t.request_type === 'IntentRequest' && t.intent,
  );
  return [...countBy(turns, (t) => t.intent ?? '')]
    .map(([k, ts]) => ({
      k,
      n: ts.length,
      sessions: new Set(ts.map((t) => t.session_id)).size,
      share: ts.length / turns.length,
    }))
    .sort(byCountThenKey)
    .slice(0, p.limit)
    .map((r) => ({ intent: r.k, turns: r.n, sessions: r.sessions, share: r.share }));
}

export function bruteDialogHealth(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const turns = inRangeOf(all, p, 'turn') as Turn[];
  const fallback = turns.filter((t) => t.intent === 'AMAZON.FallbackIntent');
  const unhandled = turns.filter((t) => (t.error ?? '') !== '');
  return {
    turns: turns.length,
    sessions: new Set(turns.map((t) => t.session_id)).size,
    fallbackTurns: fallback.length,
    fallbackRate: fallback.length / turns.length,
    sessionsWithFallback: new Set(fallback.map((t) => t.session_id)).size,
    unhandledTurns: unhandled.length,
    unhandledRate: unhandled.length / turns.length,
  };
}

export function bruteCatalogGaps(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string; limit: number },
) {
  const asks = (inRangeOf(all, p, 'turn') as Turn[]).flatMap((t) =>
    t.slots
      .filter((s) => s.resolution === 'no_match')
      .map((s) => ({ value: s.value.trim().toLowerCase(), session: t.session_id })),
  );
  return [
    ...countBy(
      asks.filter((a) => a.value !== ''),
      (a) => a.value,
    ),
  ]
    .map(([k, xs]) => ({ k, n: xs.length, sessions: new Set(xs.map((x) => x.session)).size }))
    .sort(byCountThenKey)
    .slice(0, p.limit)
    .map((r) => ({ value: r.k, requests: r.n, sessions: r.sessions }));
}

export function bruteExitPoints(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string; limit: number },
) {
  const ends = inRangeOf(all, p, 'session_end') as Extract<PitchlineEvent, { type: 'session_end' }>[];
  const byReason = [...countBy(ends, (e) => e.reason)]
    .map(([k, xs]) => ({ k, n: xs.length }))
    .sort(byCountThenKey)
    .map((r) => ({ reason: r.k, sessions: r.n, share: r.n / ends.length }));
  const prompts = [...countBy(ends, (e) => JSON.stringify([e.last_prompt ?? '', e.reason]))]
    .map(([k, xs]) => ({ k, n: xs.length }))
    .sort(byCountThenKey)
    .slice(0, p.limit)
    .map((r) => {
      const [lastPrompt, reason] = JSON.parse(r.k) as [string, string];
      return { lastPrompt, reason, sessions: r.n };
    });
  return { sessionsEnded: ends.length, byReason, lastPrompts: prompts };
}

export function bruteTurnsToPurchase(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const lo = localMidnight(p.from, p.tz) - DAY;
  const hi = localMidnight(addDays(p.to, 1), p.tz);
  const sessions = countBy(
    all.filter(
      (e) =>
        e.merchant_id === p.merchantId &&
        (e.type === 'turn' || e.type === 'order_confirmed') &&
        e.ts >= lo &&
        e.ts < hi,
    ),
    (e) => e.session_id,
  );
  const counts: number[] = [];
  for (const evs of sessions.values()) {
    const orders = evs.filter((e) => e.type === 'order_confirmed').map((e) => e.ts);
    if (orders.length === 0) continue;
    const ordered = Math.min(...orders);
    if (!inLocalRange(ordered, p)) continue;
    counts.push(evs.filter((e) => e.type === 'turn' && e.ts < ordered).length + 1);
  }
  return counts;
}

export function bruteLatency(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const turns = inRangeOf(all, p, 'turn') as Turn[];
  const stats = (ts: Turn[]) => {
    const l = ts.map((t) => t.latency_ms);
    return {
      turns: ts.length,
      p50: quantileExact(l, 0.5),
      p90: quantileExact(l, 0.9),
      p99: quantileExact(l, 0.99),
      max: Math.max(...l),
    };
  };
  const out = new Map<string, ReturnType<typeof stats>>([['', stats(turns)]]);
  for (const [k, ts] of countBy(turns, (t) => t.request_type)) out.set(k, stats(ts));
  return out;
}

export function bruteRejected(
  all: readonly PitchlineEvent[],
  p: { merchantId: string; from: string; to: string; tz: string },
) {
  const rs = inRangeOf(all, p, 'request_rejected') as Extract<PitchlineEvent, { type: 'request_rejected' }>[];
  return [...countBy(rs, (r) => r.reason)]
    .map(([k, xs]) => ({ k, n: xs.length }))
    .sort(byCountThenKey)
    .map((r) => ({ reason: r.k, requests: r.n }));
}

const NIL = '00000000-0000-0000-0000-000000000000';
type AnyEvent = PitchlineEvent & Record<string, unknown>;

const spoken = (ssml: string) => ssml.replace(/<[^>]*>/g, ' ').replace(/[\t\n\f\r ]+/g, ' ');
const contains = (hay: string, needle: string) => hay.toLowerCase().includes(needle.toLowerCase());

/**
 * The session search (session-search.query.ts) from the definitions at its top, in plain TypeScript: one
 * merchant's sessions by start, outcome by precedence, `q` as a case-insensitive plain substring of the
 * session id, intents, slot values or the spoken SSML.
 */
export function bruteSessionSearch(
  events: readonly PitchlineEvent[],
  input: SessionSearchInput,
): SessionSearchRow[] {
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
