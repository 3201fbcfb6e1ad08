import { api, ok } from '../../lib/api';

/** The alerts page's two reads; refetched every few seconds so a firing rule shows without a reload. */
export const RULES_KEY = ['alerts', 'rules'] as const;
export const DELIVERIES_KEY = ['alerts', 'deliveries'] as const;
export const REFRESH_MS = 5_000;

export const fetchRules = () => ok(api.alerts.rules.$get());
export const fetchDeliveries = () => ok(api.alerts.deliveries.$get({ query: {} }));

export type RulesAnswer = Awaited<ReturnType<typeof fetchRules>>;
export type AlertRule = RulesAnswer['rules'][number];
export type AlertMetricInfo = RulesAnswer['metrics'][number];
export type AlertDelivery = Awaited<ReturnType<typeof fetchDeliveries>>['deliveries'][number];
export type AlertCondition = AlertRule['condition'];

/** A threshold as the form shows it: shares (ratios, changes) in percent, the rest in their unit. */
export function inPercent(metric: AlertMetricInfo, condition: AlertCondition): boolean {
  return metric.unit === 'ratio' || condition === 'rises_by' || condition === 'drops_by';
}

export const CONDITION_WORDS: Record<AlertCondition, string> = {
  above: 'is above',
  below: 'is below',
  rises_by: 'rises by (against the window before)',
  drops_by: 'drops by (against the window before)',
};

export const WINDOWS = [
  { minutes: 5, words: '5 minutes' },
  { minutes: 15, words: '15 minutes' },
  { minutes: 60, words: '1 hour' },
  { minutes: 360, words: '6 hours' },
  { minutes: 1440, words: '1 day' },
  { minutes: 10080, words: '7 days' },
];

/**
 * For text a machine made long and unbroken (a signing secret, a host name in a refusal): it may break
 * anywhere, or on a phone it would widen the page.
 */
export const BREAK_ANYWHERE = { overflowWrap: 'anywhere' } as const;
