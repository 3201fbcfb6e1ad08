import {
  type AlertWindowFigures,
  type ClickHouseHandle,
  experimentResults,
  queryAlertWindow,
} from '@pitchline/analytics';
import type { AlertMetric, PitchlineDb } from '@pitchline/db';
import { listExperiments } from '@pitchline/db';
import type { Reading } from './judge';

/*
 * Reads the figure a rule watches. One evaluation reads each (merchant, window) once and each merchant's
 * running experiments once, however many rules ask: a cache lives for one evaluation only.
 */

export type MetricReading = Reading & { detail?: string };

export type MetricSources = {
  db: PitchlineDb;
  ch: ClickHouseHandle;
  /** Events recorded on this server and not yet in the analytics store; absent: no data for that metric. */
  eventLogBacklog?: () => number;
};

type WindowKey = 'fallbackRate' | 'latencyP90' | 'paidConversion';
const WINDOW_FIGURE: Partial<Record<AlertMetric, WindowKey>> = {
  fallback_rate: 'fallbackRate',
  latency_p90: 'latencyP90',
  paid_conversion: 'paidConversion',
};

type ExperimentTrouble = { srm: string[]; guardrail: string[] };

export function createMetricReader(sources: MetricSources, nowMs: number) {
  const windows = new Map<string, Promise<AlertWindowFigures>>();
  const trouble = new Map<string, Promise<ExperimentTrouble>>();

  const windowOf = (merchantId: string, fromMs: number, toMs: number) => {
    const key = `${merchantId}:${fromMs}:${toMs}`;
    let figures = windows.get(key);
    if (!figures) {
      figures = queryAlertWindow(sources.ch, { merchantId, fromMs, toMs });
      windows.set(key, figures);
    }
    return figures;
  };

  const troubleOf = (merchantId: string) => {
    let found = trouble.get(merchantId);
    if (!found) {
      found = experimentTrouble(sources, merchantId, new Date(nowMs));
      trouble.set(merchantId, found);
    }
    return found;
  };

  return async (rule: {
    merchantId: string;
    metric: AlertMetric;
    windowMinutes: number;
    comparesToPrevious: boolean;
  }): Promise<MetricReading> => {
    const figure = WINDOW_FIGURE[rule.metric];
    if (figure) {
      const span = rule.windowMinutes * 60_000;
      const current = await windowOf(rule.merchantId, nowMs - span, nowMs);
      if (!rule.comparesToPrevious) return { value: current[figure] };
      const previous = await windowOf(rule.merchantId, nowMs - 2 * span, nowMs - span);
      return { value: current[figure], previous: previous[figure] };
    }
    if (rule.metric === 'event_log_backlog') {
      return { value: sources.eventLogBacklog ? sources.eventLogBacklog() : null };
    }
    const { srm, guardrail } = await troubleOf(rule.merchantId);
    const names = rule.metric === 'experiment_srm' ? srm : guardrail;
    return { value: names.length, detail: names.length > 0 ? `Experiments: ${names.join(', ')}` : undefined };
  };
}

/** The merchant's running experiments with a sample-ratio mismatch, and those with a breached guardrail. */
async function experimentTrouble(sources: MetricSources, merchantId: string, now: Date) {
  const running = (await listExperiments(sources.db, merchantId)).filter(
    (e) => e.status === 'running' && e.startedAt,
  );
  const found: ExperimentTrouble = { srm: [], guardrail: [] };
  for (const experiment of running) {
    if (!experiment.startedAt) continue;
    const results = await experimentResults(sources.ch, {
      merchantId,
      experiment: { ...experiment, startedAt: experiment.startedAt },
      now,
    });
    if (results.srm.status === 'mismatch') found.srm.push(experiment.name);
    if (results.variants.some((v) => v.guardrails.status === 'breached'))
      found.guardrail.push(experiment.name);
  }
  return found;
}
