import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { type DialogHealth, queryDialogHealth } from './dialog-health.query';
import { type FunnelResult, queryFunnel } from './funnel.query';
import { DEFAULT_FUNNEL_STEPS } from './funnel-spec';
import { checkRange, dateRangeShape } from './params';
import { queryRevenueSummary, type RevenueSummary } from './revenue.query';
import { queryRevenueBreakdown, type RevenueRow } from './revenue-breakdown.query';
import { type IntentCount, queryTopIntents } from './top-intents.query';

export interface Overview {
  revenue: RevenueSummary;
  revenueByDay: RevenueRow[];
  /** The default voice sales funnel, split by the variant heard. */
  funnel: FunnelResult;
  health: DialogHealth;
  topIntents: IntentCount[];
}

const paramsSchema = z.object(dateRangeShape).superRefine(checkRange);

/** Everything the dashboard's first page shows, for one merchant and range. */
export async function queryOverview(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
): Promise<Overview> {
  const p = paramsSchema.parse(input);
  const tasks = [
    () => queryRevenueSummary(ch, p),
    () => queryRevenueBreakdown(ch, { ...p, by: 'day' }),
    () => queryFunnel(ch, { ...p, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
    () => queryDialogHealth(ch, p),
    () => queryTopIntents(ch, { ...p, limit: 5 }),
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
  return { revenue, revenueByDay, funnel, health, topIntents };
}
