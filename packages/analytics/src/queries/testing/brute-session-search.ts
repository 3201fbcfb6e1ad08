import type { PitchlineEvent } from '@pitchline/core';
import { type SessionSearchInput, type SessionSearchRow, sessionSearchSchema } from '../session-search.query';
import { addDays, localDay, localMidnight } from './brute';

const DAY = 86_400_000;

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
    // Listed by the day of its session_start (sessions.ts); without one it is no session of any range.
    const startEvent = evs.find((e) => e.type === 'session_start');
    if (!startEvent) continue;
    const day = localDay(startEvent.ts, p.tz);
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
