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
  const [revenue, revenueByDay, funnel, health, topIntents] = await Promise.all([
    queryRevenueSummary(ch, p),
    queryRevenueBreakdown(ch, { ...p, by: 'day' }),
    queryFunnel(ch, { ...p, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
    queryDialogHealth(ch, p),
    queryTopIntents(ch, { ...p, limit: 5 }),
  ]);
  return { revenue, revenueByDay, funnel, health, topIntents };
}
