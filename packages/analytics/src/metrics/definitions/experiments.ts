import type { MetricDefinition } from '../metric-definition';

/** Experiment results: per shopper, from their first exposure, within the conversion window. */
export const experimentMetrics = [
  {
    id: 'experiment_shoppers',
    name: 'Shoppers in the test',
    definition: 'Different shoppers who heard one of the experiment’s pitches while it ran.',
    unit: 'count',
    source: 'pitch_exposure events of the experiment, first exposure per shopper.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window: 'From the experiment’s start to its end (or now).',
  },
  {
    id: 'experiment_conversion',
    name: 'Bought within the window',
    definition:
      'Share of the variant’s shoppers who paid for an order within the conversion window after first hearing it.',
    unit: 'ratio',
    source: 'payment_succeeded events of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_revenue_per_shopper',
    name: 'Revenue per shopper in the test',
    definition:
      'Money the variant’s shoppers paid within the conversion window, net of refunds, per shopper.',
    unit: 'money',
    source: 'payment_succeeded and refund amounts of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_conversions',
    name: 'Shoppers who bought',
    definition:
      'Shoppers of the variant who paid for at least one order within the conversion window after first hearing it.',
    unit: 'count',
    source: 'payment_succeeded events of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_revenue',
    name: 'Revenue in the test',
    definition:
      'Money the variant’s shoppers paid within the conversion window after first hearing it, net of refunds.',
    unit: 'money',
    source: 'payment_succeeded and refund amounts of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_lift',
    name: 'Lift over control',
    definition:
      'How much higher the variant’s primary metric is than the control’s, as a share of the control’s (undefined when the control is zero).',
    unit: 'ratio',
    source: 'The primary metric of the variant and of the control, per shopper in the test.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_add_to_cart_rate',
    name: 'Added to cart in the test',
    definition:
      'Share of the variant’s shoppers who put a product in the cart within the window after first hearing it.',
    unit: 'ratio',
    source: 'cart_add events of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_stop_rate',
    name: 'Stopped right after the pitch',
    definition: 'Share of the variant’s shoppers who said stop or cancel right after hearing the pitch.',
    unit: 'ratio',
    source: 'turn events with AMAZON.StopIntent or AMAZON.CancelIntent right after a pitch_exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_fallback_rate',
    name: 'Not understood in the test',
    definition:
      'Share of the requests of the variant’s shoppers that Alexa could not match, within the window.',
    unit: 'ratio',
    source: 'turn events of the shopper after their first exposure: fallbacks ÷ requests.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
  {
    id: 'experiment_refund_rate',
    name: 'Refunded in the test',
    definition: 'Share of the variant’s paid orders that were refunded, within the window.',
    unit: 'ratio',
    source: 'refund and payment_succeeded events of the shopper after their first exposure.',
    dayAttribution: 'first_exposure',
    variant: 'The variant the shopper was assigned and first heard.',
    window:
      'The experiment’s conversion window after the first exposure (72 hours unless it says otherwise).',
  },
] as const satisfies readonly MetricDefinition[];
