import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { overviewFigures } from '../metrics/page-figures';
import { daysBetween, previousPeriodOf } from './calendar-date';
import { type DialogHealth, queryDialogHealth } from './dialog-health.query';
import { type FunnelResult, queryFunnel } from './funnel.query';
import { DEFAULT_FUNNEL_STEPS } from './funnel-spec';
import type { SourceOption } from './overview-rollup';
import { checkRange, dateRangeShape } from './params';
import { type PreviousPeriod, REVENUE_COLUMNS } from './previous-period';
import { queryRevenueSummary, type RevenueSummary } from './revenue.query';
import { queryRevenueBreakdown, type RevenueRow } from './revenue-breakdown.query';
import { querySessionDays } from './sessions';
import { type IntentCount, queryTopIntents } from './top-intents.query';

export interface Overview {
  revenue: RevenueSummary;
  revenueByDay: RevenueRow[];
  /** The default voice sales funnel, split by the variant heard. */
  funnel: FunnelResult;
  health: DialogHealth;
  topIntents: IntentCount[];
  /** The page's headline figures, keyed by metric id (catalogue.ts). */
  figures: OverviewFigures;
  /** The same figures for the period before, and how much data it holds; null before 2000. */
  previousPeriod: PreviousPeriod | null;
  previousFigures: OverviewFigures | null;
  /** Which catalogue metric each column of `revenueByDay` is. */
  columns: typeof REVENUE_COLUMNS;
}

export type OverviewFigures = ReturnType<typeof overviewFigures>;

export const paramsSchema = z.object(dateRangeShape).superRefine(checkRange);

/**
 * Everything the dashboard's first page shows, for one merchant and range. The funnel reads session_funnel
 * (0004), the rest overview_rollup (0005) whenever its 30-minute UTC buckets tile the range (zones on whole
 * or half hours); `source: 'events'` makes those read the raw events instead (the bench's baseline).
 */
export async function queryOverview(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
  options?: SourceOption,
): Promise<Overview> {
  const p = paramsSchema.parse(input);
  const tasks = [
    () => queryRevenueSummary(ch, p, options),
    () => queryRevenueBreakdown(ch, { ...p, by: 'day' }, options),
    () => queryFunnel(ch, { ...p, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
    () => queryDialogHealth(ch, p, options),
    () => queryTopIntents(ch, { ...p, limit: 5 }, options),
  ] as const;
  // chDB runs in this process and each query already uses every core: running them side by side only
  // adds contention (the bench measured it slower), so embedded runs them in turn; a server gets them
  // concurrently.
  const results: unknown[] = [];
  if (ch.mode === 'chdb') for (const task of tasks) results.push(await task());
  else results.push(...(await Promise.all(tasks.map((task) => task()))));
  const [revenue, revenueByDay, funnel, health, topIntents] = results as [
    RevenueSummary,
    RevenueRow[],
    FunnelResult,
    DialogHealth,
    IntentCount[],
  ];
  const previous = previousPeriodOf(p);
  const [paidSessions, prior, daysWithData] = await sequence(ch, [
    () => queryPaidSessions(ch, p),
    () => (previous ? priorFigures(ch, { ...p, ...previous }, options) : Promise.resolve(null)),
    () => (previous ? querySessionDays(ch, { ...p, ...previous }) : Promise.resolve(0)),
  ] as const);
  const pitchedSessions = funnel.groups.reduce((a, g) => a + (g.steps[1]?.count ?? 0), 0);
  return {
    revenue,
    revenueByDay,
    funnel,
    health,
    topIntents,
    figures: overviewFigures({ revenue, health, paidSessions, pitchedSessions }),
    previousPeriod: previous
      ? { ...previous, days: daysBetween(previous.from, previous.to) + 1, daysWithData }
      : null,
    previousFigures: prior,
    columns: REVENUE_COLUMNS,
  };
}

/**
 * Sessions of the range paid for within the funnel window after they started (metric paid_sessions),
 * whether or not the shopper heard a pitch: a two-step funnel, so it is the funnels' own counting.
 */
export async function queryPaidSessions(
  ch: ClickHouseHandle,
  p: { merchantId: string; from: string; to: string; tz: string },
): Promise<number> {
  const paid = await queryFunnel(ch, {
    ...p,
    steps: [
      { type: 'session_start', filters: [] },
      { type: 'payment_succeeded', filters: [] },
    ],
  });
  return paid.groups.reduce((a, g) => a + (g.steps[1]?.count ?? 0), 0);
}

async function priorFigures(
  ch: ClickHouseHandle,
  p: { merchantId: string; from: string; to: string; tz: string },
  options: SourceOption | undefined,
): Promise<OverviewFigures> {
  const [revenue, health, paidSessions, funnel] = await sequence(ch, [
    () => queryRevenueSummary(ch, p, options),
    () => queryDialogHealth(ch, p, options),
    () => queryPaidSessions(ch, p),
    () => queryFunnel(ch, { ...p, steps: DEFAULT_FUNNEL_STEPS.slice(0, 2) }),
  ] as const);
  const pitchedSessions = funnel.groups.reduce((a, g) => a + (g.steps[1]?.count ?? 0), 0);
  return overviewFigures({ revenue, health, paidSessions, pitchedSessions });
}

/** Runs tasks in turn on chDB (each query already uses every core), side by side on a server. */
async function sequence<T extends readonly (() => Promise<unknown>)[]>(
  ch: ClickHouseHandle,
  tasks: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  if (ch.mode === 'chdb') for (const task of tasks) results.push(await task());
  else results.push(...(await Promise.all(tasks.map((task) => task()))));
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

/**
 * Median milliseconds from a session's start to its first order confirmed, over the range's sessions
 * that ordered within the funnel window (metric time_to_yes): the funnel's own step timing.
 */
export async function queryTimeToYes(
  ch: ClickHouseHandle,
  p: { merchantId: string; from: string; to: string; tz: string },
): Promise<number | null> {
  const funnel = await queryFunnel(ch, {
    ...p,
    steps: [
      { type: 'session_start', filters: [] },
      { type: 'order_confirmed', filters: [] },
    ],
  });
  const seconds = funnel.groups[0]?.steps[1]?.medianSeconds;
  return seconds === null || seconds === undefined ? null : seconds * 1000;
}
