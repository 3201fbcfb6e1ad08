import type { PitchlineEvent } from '@pitchline/core';
import { addDays, localDay, localMidnight } from './brute';
import { inLocalRange } from './brute-local-range';

/**
 * Revenue by brute force: the summary, its breakdowns (day, locale, variant) and revenue by product.
 * Slow and obvious on purpose, recomputed from the definitions written beside the queries: the tests
 * compare them with the SQL results.
 */

const DAY = 86_400_000;

type Money = { type: string; amount: number; currency: string; order_id: string; variants: string[] };

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
  // The first pitch heard in each session (of the chosen experiment): what its money is credited to.
  const firstPitch = new Map<string, { ts: number; key: string }>();
  for (const e of all) {
    if (e.type !== 'pitch_exposure' || e.merchant_id !== p.merchantId) continue;
    if (p.experimentKey !== undefined && e.experiment_key !== p.experimentKey) continue;
    const seen = firstPitch.get(e.session_id);
    const key = `${e.experiment_key}:${e.variant_key}`;
    if (!seen || e.ts < seen.ts || (e.ts === seen.ts && key < seen.key))
      firstPitch.set(e.session_id, { ts: e.ts, key });
  }
  const out = new Map<string, BruteMoney>();
  for (const e of moneyEvents(all, p)) {
    let keys: string[];
    if (p.by === 'day') keys = [localDay(e.ts, p.tz)];
    else if (p.by === 'locale') keys = [locales.get(e.session_id) || '(none)'];
    else keys = [firstPitch.get(e.session_id)?.key ?? '(none)'];
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
