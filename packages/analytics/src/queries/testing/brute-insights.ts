import type { PitchlineEvent } from '@pitchline/core';
import { addDays, localMidnight } from './brute';
import { inLocalRange } from './brute-local-range';
import { quantileExact } from './quantile-exact';

/**
 * The voice insights by brute force: top intents, dialog health, catalog gaps, exit points, turns to
 * purchase, skill latency and rejected requests.
 * Slow and obvious on purpose, recomputed from the definitions written beside the queries: the tests
 * compare them with the SQL results.
 */

const DAY = 86_400_000;

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
  // Sessions: those whose session_start is on a day of the range; their fallbacks whenever they came
  // (up to a day past the range, as the query reads).
  const sessions = new Set(inRangeOf(all, p, 'session_start').map((e) => e.session_id));
  const until = localMidnight(addDays(p.to, 1), p.tz) + DAY;
  const fallbackSessions = new Set(
    all
      .filter(
        (e): e is Turn =>
          e.merchant_id === p.merchantId &&
          e.type === 'turn' &&
          e.intent === 'AMAZON.FallbackIntent' &&
          e.ts >= localMidnight(p.from, p.tz) &&
          e.ts < until &&
          sessions.has(e.session_id),
      )
      .map((t) => t.session_id),
  );
  return {
    turns: turns.length,
    sessions: sessions.size,
    fallbackTurns: fallback.length,
    fallbackRate: fallback.length / turns.length,
    sessionsWithFallback: fallbackSessions.size,
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
  // Every session of the range (session_start on a day of it), under its latest session_end's reason
  // within a day past the range, or 'no_end_recorded'.
  const starts = inRangeOf(all, p, 'session_start');
  const lo = localMidnight(p.from, p.tz);
  const until = localMidnight(addDays(p.to, 1), p.tz) + DAY;
  const ends = new Map<string, Extract<PitchlineEvent, { type: 'session_end' }>>();
  for (const e of all) {
    if (e.merchant_id !== p.merchantId || e.type !== 'session_end' || e.ts < lo || e.ts >= until) continue;
    const seen = ends.get(e.session_id);
    if (!seen || e.ts >= seen.ts) ends.set(e.session_id, e);
  }
  const sessions = starts.map((s) => ({
    reason: ends.get(s.session_id)?.reason ?? 'no_end_recorded',
    lastPrompt: ends.get(s.session_id)?.last_prompt ?? '',
  }));
  const byReason = [...countBy(sessions, (e) => e.reason)]
    .map(([k, xs]) => ({ k, n: xs.length }))
    .sort(byCountThenKey)
    .map((r) => ({ reason: r.k, sessions: r.n, share: r.n / sessions.length }));
  const prompts = [
    ...countBy(
      sessions.filter((s) => s.reason !== 'no_end_recorded'),
      (e) => JSON.stringify([e.lastPrompt, e.reason]),
    ),
  ]
    .map(([k, xs]) => ({ k, n: xs.length }))
    .sort(byCountThenKey)
    .slice(0, p.limit)
    .map((r) => {
      const [lastPrompt, reason] = JSON.parse(r.k) as [string, string];
      return { lastPrompt, reason, sessions: r.n };
    });
  return { sessionsEnded: sessions.length, byReason, lastPrompts: prompts };
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
    .map(([k, xs]) => ({ k, n: xs.reduce((sum, r) => sum + (r.count ?? 1), 0) }))
    .sort(byCountThenKey)
    .map((r) => ({ reason: r.k, requests: r.n }));
}
