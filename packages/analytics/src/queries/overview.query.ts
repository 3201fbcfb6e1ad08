import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { type DialogHealth, queryDialogHealth } from './dialog-health.query';
import { type FunnelResult, queryFunnel } from './funnel.query';
import { DEFAULT_FUNNEL_STEPS } from './funnel-spec';
import type { SourceOption } from './overview-rollup';
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
  return { revenue, revenueByDay, funnel, health, topIntents };
}
