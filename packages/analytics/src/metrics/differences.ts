import type { MetricId } from './catalogue';

/**
 * Figures that look alike but differ by design, with the one sentence a page shows where both can be
 * seen. A page that shows one of a pair near the other links this sentence.
 */
export const METRIC_DIFFERENCES = [
  {
    metrics: ['paid_sessions', 'paid_orders'],
    sentence:
      'Paid counts sessions on the day they started; Paid orders counts payments on the day the money was taken, so a session paid for after midnight is in one day’s Paid and the next day’s Paid orders.',
  },
  {
    metrics: ['orders_placed', 'paid_orders'],
    sentence:
      'Orders placed includes orders whose payment failed or is still pending; Paid orders only those paid.',
  },
  {
    metrics: ['net_revenue', 'experiment_revenue_per_shopper'],
    sentence:
      'The revenue pages count every payment on the day it was taken and credit it to the first pitch heard in its session; experiment results count each shopper once, in the variant they were assigned, and only what they paid within the conversion window after first hearing it.',
  },
  {
    metrics: ['paid_conversion', 'experiment_conversion'],
    sentence:
      'Conversion is per session; an experiment’s conversion is per shopper, counting any session within the window after they first heard the pitch.',
  },
  {
    metrics: ['sessions', 'pitched_sessions'],
    sentence:
      'Sessions counts every voice session that started in the range; Heard a pitch counts only those in which the shopper heard a sales pitch, so the funnel’s “Heard a pitch” step is smaller than Sessions.',
  },
  {
    metrics: ['paid_sessions', 'funnel_step'],
    sentence:
      'A funnel’s Paid step counts only sessions that went through every earlier step in order within the window (heard a pitch, added to cart, ordered); Paid counts every paid session of the range, with or without a pitch.',
  },
  {
    metrics: ['net_revenue', 'experiment_revenue'],
    sentence:
      'The revenue pages credit each payment to the first pitch heard in its session, on the day the money moved; an experiment counts each shopper once, in the variant they were assigned, and only what they paid within the conversion window after first hearing it.',
  },
  {
    metrics: ['paid_orders', 'experiment_conversions'],
    sentence:
      'Paid orders counts orders, on the day they were paid; an experiment’s Shoppers who bought counts shoppers who paid at least once within the window after first hearing the pitch, however many orders they placed.',
  },
  {
    metrics: ['net_revenue', 'product_revenue'],
    sentence:
      'Revenue is what payments took minus refunds; Revenue by product is the value of paid carts before any refund, so the products do not add up to Revenue when money was refunded.',
  },
  {
    metrics: ['exposed_shoppers', 'experiment_shoppers'],
    sentence:
      'Shoppers who heard a pitch counts anyone who heard any pitch in the range; an experiment counts only its own shoppers, from its start.',
  },
] as const satisfies readonly { metrics: readonly [MetricId, MetricId]; sentence: string }[];
