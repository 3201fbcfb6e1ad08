import { METRICS } from '@pitchline/analytics/metrics';
import type { AlertCondition, AlertMetric } from '@pitchline/db';

/*
 * What each alert metric means, for the rule form and the messages. The first three are the metric
 * catalogue's own figures (same name, same definition, computed over the rule's window); the others
 * are states rather than figures, so they compare with a threshold only.
 */

export type AlertMetricInfo = {
  id: AlertMetric;
  name: string;
  definition: string;
  unit: 'ratio' | 'milliseconds' | 'count';
  /** Whether "change against the previous window" makes sense for it. */
  comparesToPrevious: boolean;
  /** Whether the rule's window is used (the experiment and event-log states are read as they are now). */
  usesWindow: boolean;
};

const fromCatalogue = (id: 'fallback_rate' | 'latency_p90' | 'paid_conversion'): AlertMetricInfo => {
  const m = METRICS[id];
  return {
    id,
    name: m.name,
    definition: m.definition,
    unit: m.unit === 'milliseconds' ? 'milliseconds' : 'ratio',
    comparesToPrevious: true,
    usesWindow: true,
  };
};

export const ALERT_METRIC_INFO: Record<AlertMetric, AlertMetricInfo> = {
  fallback_rate: fromCatalogue('fallback_rate'),
  latency_p90: fromCatalogue('latency_p90'),
  paid_conversion: fromCatalogue('paid_conversion'),
  experiment_srm: {
    id: 'experiment_srm',
    name: 'Experiments with a sample-ratio mismatch',
    definition:
      'Running experiments whose shoppers split between variants unlike the split set (chi-square p < 0.001): a bug in assignment or logging, so their results cannot be trusted.',
    unit: 'count',
    comparesToPrevious: false,
    usesWindow: false,
  },
  experiment_guardrail: {
    id: 'experiment_guardrail',
    name: 'Experiments with a breached guardrail',
    definition:
      'Running experiments in which some variant is significantly worse than the control on a guardrail metric.',
    unit: 'count',
    comparesToPrevious: false,
    usesWindow: false,
  },
  event_log_backlog: {
    id: 'event_log_backlog',
    name: 'Events waiting in the event log',
    definition:
      'Events recorded on this server and not yet confirmed by the analytics store: a growing number means analytics is down or behind, and the dashboard is missing recent activity.',
    unit: 'count',
    comparesToPrevious: false,
    usesWindow: false,
  },
};

/** Why a condition does not fit a metric, in words; undefined when it does. */
export function conditionProblem(metric: AlertMetric, condition: AlertCondition): string | undefined {
  const info = ALERT_METRIC_INFO[metric];
  if ((condition === 'rises_by' || condition === 'drops_by') && !info.comparesToPrevious) {
    return `${info.name} is compared with a threshold (above or below), not with the previous window.`;
  }
  return undefined;
}

/** A threshold out of range for its metric and condition, in words (ratios and changes are 0–1 shares). */
export function thresholdProblem(metric: AlertMetric, condition: AlertCondition, threshold: number) {
  const ratio = ALERT_METRIC_INFO[metric].unit === 'ratio';
  // A share cannot pass 100 %, nor can anything drop by more than all of it; a rise can (up 150 %).
  if ((condition === 'drops_by' || (ratio && condition !== 'rises_by')) && threshold > 1) {
    return 'Enter a percentage from 0 to 100.';
  }
  return undefined;
}

export function formatValue(metric: AlertMetric, value: number): string {
  const unit = ALERT_METRIC_INFO[metric].unit;
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'milliseconds') return `${Math.round(value).toLocaleString('en-US')} ms`;
  return Math.round(value).toLocaleString('en-US');
}

export function describeCondition(rule: {
  metric: AlertMetric;
  condition: AlertCondition;
  threshold: number;
  windowMinutes: number;
}): string {
  const info = ALERT_METRIC_INFO[rule.metric];
  const over = info.usesWindow ? ` over ${windowWords(rule.windowMinutes)}` : '';
  const pct = `${Math.round(rule.threshold * 1000) / 10} %`;
  switch (rule.condition) {
    case 'above':
      return `${info.name} above ${formatValue(rule.metric, rule.threshold)}${over}`;
    case 'below':
      return `${info.name} below ${formatValue(rule.metric, rule.threshold)}${over}`;
    case 'rises_by':
      return `${info.name} up ${pct} or more${over}, against ${previousWords(rule.windowMinutes)}`;
    case 'drops_by':
      return `${info.name} down ${pct} or more${over}, against ${previousWords(rule.windowMinutes)}`;
  }
}

/** The window before this one: "the day before", "the hour before", "the 6 hours before". */
function previousWords(minutes: number): string {
  const words = windowWords(minutes);
  return `the ${words.replace(/^an? /, '')} before`;
}

export function windowWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'a day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'an hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}
