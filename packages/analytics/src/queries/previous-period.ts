import type { MetricId } from '../metrics/catalogue';

/**
 * The period a range's figures are compared with (calendar-date.ts previousPeriodOf): as many days,
 * ending the day before the range. `daysWithData` is how many of its local days had at least one
 * session: a page compares only when that is at least half of `days`, and otherwise says
 * "previous period: 2 days of data" instead of a meaningless "+2164.7%".
 */
export interface PreviousPeriod {
  from: string;
  to: string;
  days: number;
  daysWithData: number;
}

/** Which catalogue metric each money column of a revenue table row is (RevenueRow). */
export const REVENUE_COLUMNS = {
  gross: 'gross_revenue',
  refunds: 'refunds',
  net: 'net_revenue',
  orders: 'paid_orders',
} as const satisfies Record<string, MetricId>;

/** Revenue by product's columns (ProductRevenue). */
export const PRODUCT_REVENUE_COLUMNS = {
  amount: 'product_revenue',
  sessions: 'product_paid_sessions',
} as const satisfies Record<string, MetricId>;

/** Top intents' columns (IntentCount). */
export const INTENT_COLUMNS = { turns: 'intent_requests' } as const satisfies Record<string, MetricId>;
