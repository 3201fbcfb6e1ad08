import type { PitchlineEvent } from '@pitchline/core';

export interface BruteVariant {
  n: number;
  conversions: number;
  carts: number;
  revenue: number;
  revenueSq: number;
  stopped: number;
  fallbackTurns: number;
  turns: number;
  refundedOrders: number;
  paidOrders: number;
  preRevenue: number;
  preRevenueSq: number;
  preTimesRevenue: number;
  /** Each user's net revenue, for checks of the capping. */
  revenues: number[];
}

const STOP = new Set(['AMAZON.StopIntent', 'AMAZON.CancelIntent']);
const RANK: Record<string, number> = { pitch_exposure: 0, turn: 1, session_end: 2 };

/**
 * The results' definitions recomputed the slow, obvious way over the raw events, one user at a time:
 * the reference the SQL aggregates are compared with.
 */
export function bruteForce(
  events: PitchlineEvent[],
  p: {
    merchantId: string;
    experimentId: string;
    startMs: number;
    exposureEndMs: number;
    nowMs: number;
    windowMs: number;
    preMs: number;
  },
): Map<string, BruteVariant> {
  const mine = events.filter((e) => e.merchant_id === p.merchantId);
  const byUser = new Map<string, PitchlineEvent[]>();
  for (const e of mine) {
    const list = byUser.get(e.user_id) ?? [];
    list.push(e);
    byUser.set(e.user_id, list);
  }
  const out = new Map<string, BruteVariant>();
  for (const list of byUser.values()) {
    const exposures = list
      .filter(
        (e): e is Extract<PitchlineEvent, { type: 'pitch_exposure' }> =>
          e.type === 'pitch_exposure' &&
          e.experiment_id === p.experimentId &&
          e.ts >= p.startMs &&
          e.ts < p.exposureEndMs,
      )
      .sort((a, b) => a.ts - b.ts || (a.event_id < b.event_id ? -1 : 1));
    const first = exposures[0];
    if (!first) continue;
    const from = first.ts;
    const to = first.ts + p.windowMs;
    const inWindow = (e: PitchlineEvent) => e.ts >= from && e.ts <= to && e.ts <= p.nowMs;
    const paid = list.filter((e) => e.type === 'payment_succeeded' && inWindow(e));
    const paidOrders = new Set(paid.map((e) => (e.type === 'payment_succeeded' ? e.order_id : '')));
    const refunds = list.filter((e) => e.type === 'refund' && inWindow(e) && paidOrders.has(e.order_id));
    const amount = (e: PitchlineEvent) => ('amount' in e ? e.amount : 0);
    const revenue = paid.reduce((s, e) => s + amount(e), 0) - refunds.reduce((s, e) => s + amount(e), 0);
    const pre = list
      .filter((e) => e.type === 'payment_succeeded' && e.ts < from && e.ts >= from - p.preMs)
      .reduce((s, e) => s + amount(e), 0);

    // Sessions: for each exposure, the first turn at or after it spoke the pitch; the next turn (or the
    // session's end) is the reaction.
    let stopped = false;
    let turns = 0;
    let fallbackTurns = 0;
    const sessions = new Map<string, PitchlineEvent[]>();
    for (const e of list) {
      if (!inWindow(e)) continue;
      const relevant =
        e.type === 'turn' ||
        e.type === 'session_end' ||
        (e.type === 'pitch_exposure' && e.experiment_id === p.experimentId && e.ts >= p.startMs);
      if (!relevant) continue;
      const s = sessions.get(e.session_id) ?? [];
      s.push(e);
      sessions.set(e.session_id, s);
    }
    for (const s of sessions.values()) {
      s.sort((a, b) => a.ts - b.ts || (RANK[a.type] ?? 9) - (RANK[b.type] ?? 9));
      let firstReactionIndex = -1;
      s.forEach((e, i) => {
        if (e.type !== 'pitch_exposure') return;
        const pitchTurn = s.findIndex((x, j) => j > i && x.type === 'turn');
        if (pitchTurn < 0) return;
        const next = s.findIndex((x, j) => j > pitchTurn && (x.type === 'turn' || x.type === 'session_end'));
        if (firstReactionIndex < 0) firstReactionIndex = next < 0 ? s.length : next;
        const reaction = s[next];
        if (reaction?.type === 'turn' && STOP.has(reaction.intent ?? '')) stopped = true;
        if (reaction?.type === 'session_end' && reaction.reason === 'user_stop') stopped = true;
      });
      s.forEach((e, i) => {
        if (e.type !== 'turn') return;
        // Without an exposure in the session every turn counts; with one, turns from the reaction on.
        const hasExposure = s.some((x) => x.type === 'pitch_exposure');
        if (hasExposure && (firstReactionIndex < 0 || i < firstReactionIndex)) return;
        turns++;
        if (e.intent === 'AMAZON.FallbackIntent') fallbackTurns++;
      });
    }
    const v = out.get(first.variant_key) ?? {
      n: 0,
      conversions: 0,
      carts: 0,
      revenue: 0,
      revenueSq: 0,
      stopped: 0,
      fallbackTurns: 0,
      turns: 0,
      refundedOrders: 0,
      paidOrders: 0,
      preRevenue: 0,
      preRevenueSq: 0,
      preTimesRevenue: 0,
      revenues: [],
    };
    v.n++;
    if (paid.length > 0) v.conversions++;
    if (list.some((e) => e.type === 'cart_add' && inWindow(e))) v.carts++;
    v.revenue += revenue;
    v.revenueSq += revenue * revenue;
    if (stopped) v.stopped++;
    v.turns += turns;
    v.fallbackTurns += fallbackTurns;
    v.paidOrders += paidOrders.size;
    v.refundedOrders += new Set(refunds.map((e) => (e.type === 'refund' ? e.order_id : ''))).size;
    v.preRevenue += pre;
    v.preRevenueSq += pre * pre;
    v.preTimesRevenue += pre * revenue;
    v.revenues.push(revenue);
    out.set(first.variant_key, v);
  }
  return out;
}
