import type { Metric } from '../experiments/config';
import type { DialogHealth } from '../queries/dialog-health.query';
import type { ExitPoints } from '../queries/exit-points.query';
import type { RevenueSummary } from '../queries/revenue.query';
import type { LatencyPercentiles } from '../queries/skill-latency.query';
import type { TurnsToPurchase } from '../queries/turns-to-purchase.query';
import type { MetricId } from './catalogue';
import { figure, moneyFigure, ratioFigure } from './figures';

/*
 * The headline figures of each page, keyed by metric id, built from the queries' results by the
 * catalogue's definitions. One builder per page; a figure two pages share comes from the same result
 * field (sessions is always the one session count of sessions.ts), so the pages cannot disagree.
 */

const NO_SESSIONS = 'no sessions in the range';
const NO_REQUESTS = 'no requests in the range';
const NO_PAID_ORDERS = 'no paid orders in the range';
const NO_EXPOSED = 'no shopper heard a pitch in the range';

/** Revenue page: money (by payment/refund day) and its per-session and per-shopper ratios. */
export function revenueFigures(r: RevenueSummary) {
  const rows = r.byCurrency;
  const paidOrders = rows.reduce((a, c) => a + c.orders, 0);
  return {
    sessions: figure('sessions', r.sessions),
    exposed_shoppers: figure('exposed_shoppers', r.exposedUsers),
    paid_orders: figure('paid_orders', paidOrders),
    gross_revenue: moneyFigure('gross_revenue', rows, (c) => c.gross),
    refunds: moneyFigure('refunds', rows, (c) => c.refunds),
    net_revenue: moneyFigure('net_revenue', rows, (c) => c.net),
    average_order_value: moneyFigure(
      'average_order_value',
      rows,
      (c) => (c.orders === 0 ? null : c.gross / c.orders),
      { value: null, reason: NO_PAID_ORDERS },
    ),
    revenue_per_session: moneyFigure(
      'revenue_per_session',
      rows,
      (c) => (r.sessions === 0 ? null : c.net / r.sessions),
      r.sessions === 0 ? { value: null, reason: NO_SESSIONS } : { value: 0 },
    ),
    revenue_per_exposed_shopper: moneyFigure(
      'revenue_per_exposed_shopper',
      rows,
      (c) => (r.exposedUsers === 0 ? null : c.net / r.exposedUsers),
      r.exposedUsers === 0 ? { value: null, reason: NO_EXPOSED } : { value: 0 },
    ),
  };
}

/** Dialog health: requests (by request day) and sessions (by start day). */
export function healthFigures(h: DialogHealth) {
  return {
    sessions: figure('sessions', h.sessions),
    turns: figure('turns', h.turns),
    fallback_rate: ratioFigure('fallback_rate', h.fallbackTurns, h.turns, NO_REQUESTS),
    unhandled_rate: ratioFigure('unhandled_rate', h.unhandledTurns, h.turns, NO_REQUESTS),
    sessions_with_fallback: figure('sessions_with_fallback', h.sessionsWithFallback),
  };
}

/** Overview: the revenue page's and dialog health's figures, plus paid sessions and their conversion. */
export function overviewFigures(o: {
  revenue: RevenueSummary;
  health: DialogHealth;
  paidSessions: number;
  pitchedSessions: number;
}) {
  const sessions = o.revenue.sessions;
  return {
    ...healthFigures(o.health),
    ...revenueFigures(o.revenue),
    pitched_sessions: figure('pitched_sessions', o.pitchedSessions),
    paid_sessions: figure('paid_sessions', o.paidSessions),
    paid_conversion: ratioFigure('paid_conversion', o.paidSessions, sessions, NO_SESSIONS),
  };
}

/** Voice insights: dialog health, response times (all requests), turns to purchase, how sessions ended. */
export function insightsFigures(i: {
  health: DialogHealth;
  latency: readonly LatencyPercentiles[];
  turnsToPurchase: TurnsToPurchase;
  exitPoints: ExitPoints;
  rejected: number;
  /** Median ms from session start to the first order confirmed (a session_start → order_confirmed funnel). */
  timeToYesMs: number | null;
}) {
  const all = i.latency.find((l) => l.requestType === '');
  const noTurns = all === undefined || all.turns === 0;
  return {
    ...healthFigures(i.health),
    latency_p50: noTurns ? figure('latency_p50', null, NO_REQUESTS) : figure('latency_p50', all.p50),
    latency_p90: noTurns ? figure('latency_p90', null, NO_REQUESTS) : figure('latency_p90', all.p90),
    latency_p99: noTurns ? figure('latency_p99', null, NO_REQUESTS) : figure('latency_p99', all.p99),
    turns_to_purchase: figure(
      'turns_to_purchase',
      i.turnsToPurchase.median,
      'no session confirmed an order in the range',
    ),
    rejected_requests: figure('rejected_requests', i.rejected),
    time_to_yes: figure('time_to_yes', i.timeToYesMs, 'no session confirmed an order in the range'),
  };
}

/**
 * One arm of an experiment's results: per-shopper figures, counted from each shopper's first exposure
 * (catalogue: experiment_*), never the revenue pages' session figures. The lift is the primary metric's
 * against the control, null with its reason over a zero control.
 */
export function experimentArmFigures(
  arm: {
    exposedUsers: number;
    conversions: number;
    revenue: number;
    metrics: readonly { vsControl?: { lift: number | null; liftReason?: string } }[];
  },
  role: 'control' | 'treatment' | 'holdout',
) {
  const primary = arm.metrics[0]?.vsControl;
  const NO_SHOPPERS = 'no shopper heard this variant yet';
  return {
    experiment_shoppers: figure('experiment_shoppers', arm.exposedUsers),
    experiment_conversions: figure('experiment_conversions', arm.conversions),
    experiment_conversion: ratioFigure(
      'experiment_conversion',
      arm.conversions,
      arm.exposedUsers,
      NO_SHOPPERS,
    ),
    experiment_revenue: figure('experiment_revenue', arm.revenue),
    experiment_revenue_per_shopper: ratioFigure(
      'experiment_revenue_per_shopper',
      arm.revenue,
      arm.exposedUsers,
      NO_SHOPPERS,
    ),
    experiment_lift:
      role === 'control'
        ? figure('experiment_lift', null, 'the control is what the others are compared with')
        : role === 'holdout'
          ? figure(
              'experiment_lift',
              null,
              'the holdout heard no variant: each variant is compared with it instead',
            )
          : primary
            ? figure('experiment_lift', primary.lift, primary.liftReason)
            : figure('experiment_lift', null, 'not enough data to compare with the control'),
  };
}

/** The catalogue metric of each experiment analysis metric (the experiment's own metric settings). */
export const EXPERIMENT_METRIC_IDS = {
  conversion: 'experiment_conversion',
  revenue_per_user: 'experiment_revenue_per_shopper',
  add_to_cart: 'experiment_add_to_cart_rate',
  stop_after_pitch: 'experiment_stop_rate',
  fallback_rate: 'experiment_fallback_rate',
  refund_rate: 'experiment_refund_rate',
} as const satisfies Record<Metric, MetricId>;

/** An analysis row's value as a catalogue figure (null with a reason when it could not be estimated). */
export function experimentMetricFigure(m: { metric: Metric; value: number }) {
  return figure(EXPERIMENT_METRIC_IDS[m.metric], m.value, 'not enough shoppers to estimate it');
}
