import { stats as engine } from '@pitchline/core';
import type { ClickHouseHandle } from '../clickhouse';
import {
  HIGHER_IS_BETTER,
  METRIC_LABELS,
  type Metric,
  type ParsedResultsOptions,
  type ResultsOptions,
  resultsOptionsSchema,
} from './config';
import {
  type Comparison,
  compare,
  cupedFit,
  type Estimate,
  type EstimateContext,
  estimateMetric,
} from './estimates';
import { queryExposureCounts } from './exposure-counts.query';
import { queryVariantStats, type VariantLookStats } from './variant-stats.query';
import { decideVerdict, type Verdict } from './verdict';

const DAY = 86_400_000;
/** SRM is flagged at p < 0.001: a real split bug gives tiny p-values, so a strict bar avoids false alarms. */
export const SRM_THRESHOLD = 0.001;
/** CUPED needs enough users with history for θ to be estimated well; below this it is skipped. */
const CUPED_MIN_HISTORY = 100;
/**
 * Burn-in of the sequential test: a look counts only once both arms have this many users, because the
 * mSPRT's normal likelihood needs the CLT. Skipping looks never hurts the always-valid guarantee.
 */
export const MIN_USERS_PER_LOOK = 100;

export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export interface MetricComparison extends Comparison {
  /** Always-valid (mSPRT) p-value: valid however many daily looks were taken. */
  sequentialPValue: number;
  /** The mSPRT confidence sequence of the difference at this look. */
  sequentialDifferenceCi: [number, number];
  /** Holm-adjusted always-valid p-value within its family (success metrics or guardrails). */
  adjustedPValue: number;
  /** Significant at α after adjustment, and which way. */
  significant: boolean;
  direction: 'better' | 'worse' | 'none';
}

export interface MetricResult {
  metric: Metric;
  label: string;
  role: MetricRole;
  /** Mean per exposed user (rates as fractions; revenue in minor units), or the ratio. */
  value: number;
  ci: [number, number];
  method: Estimate['method'];
  /** Against the control; absent for the control itself. */
  vsControl?: MetricComparison;
}

export interface VariantResult {
  key: string;
  isControl: boolean;
  weight: number;
  exposedUsers: number;
  /** Pitch exposure events (a user can hear the pitch more than once). */
  exposures: number;
  /** Users with a paid order inside the window after their first exposure. */
  conversions: number;
  addToCarts: number;
  /** Net revenue (payments − refunds of those orders) inside the window, minor units, uncapped. */
  revenue: number;
  metrics: MetricResult[];
  guardrails: { status: 'ok' | 'breached' | 'control'; breached: Metric[] };
}

export interface SeriesPoint {
  look: number;
  /** The instant the look summarises data up to (exclusive), ms since the epoch. */
  at: number;
  variant: string;
  exposedUsers: number;
  conversions: number;
  revenue: number;
  /** Primary metric, its lift vs control and always-valid p-value as of this look. */
  value: number;
  lift?: number;
  sequentialPValue?: number;
}

export interface ExperimentResults {
  experimentId: string;
  key: string;
  mode: 'fixed' | 'bandit';
  alpha: number;
  primaryMetric: Metric;
  asOf: number;
  startedAt: number;
  elapsedDays: number;
  looks: number;
  srm: {
    status: 'ok' | 'mismatch' | 'not_applicable';
    chiSquare: number;
    pValue: number;
    threshold: number;
  };
  cuped: { applied: boolean; theta?: number; usersWithHistory: number };
  revenueCap?: { quantile: number };
  variants: VariantResult[];
  /** Exposures to variant keys the experiment does not define (ignored in the estimates). */
  unknownVariants: string[];
  verdict: Verdict;
  series: SeriesPoint[];
}

interface MetricSpec {
  metric: Metric;
  role: MetricRole;
}

function metricSpecs(o: ParsedResultsOptions): MetricSpec[] {
  const e = o.experiment;
  const specs: MetricSpec[] = [{ metric: e.primaryMetric, role: 'primary' }];
  const seen = new Set<Metric>([e.primaryMetric]);
  const add = (metric: Metric, role: MetricRole) => {
    if (seen.has(metric)) return;
    seen.add(metric);
    specs.push({ metric, role });
  };
  for (const m of e.secondaryMetrics) add(m, 'secondary');
  for (const m of e.guardrailMetrics) add(m, 'guardrail');
  return specs;
}

/** One look per day since the start, the last at `now`; an analysis at any time is one more valid look. */
export function lookCutoffs(startMs: number, nowMs: number): number[] {
  const cutoffs: number[] = [];
  for (let t = startMs + DAY; t < nowMs; t += DAY) cutoffs.push(t);
  cutoffs.push(nowMs);
  return cutoffs;
}

const emptyStats = (look: number, variant: string): VariantLookStats => {
  const zero = { s: 0, ss: 0, sw: 0, sw2: 0, sw2y2: 0 };
  const ratio = { sx: 0, sxx: 0, sd: 0, sdd: 0, sxd: 0 };
  return {
    look,
    variant,
    n: 0,
    sw: 0,
    sw2: 0,
    outcomes: { conv: zero, cart: zero, rev: zero, stopped: zero },
    ratios: { fallback: ratio, refund: ratio },
    pre: { s: 0, ss: 0, sxy: 0, nHistory: 0, syHistory: 0 },
    revenue: 0,
  };
};

/**
 * Per-variant results of one experiment from the ClickHouse events, with the verdict they imply.
 * The caller passes the merchant of the authenticated member; every query is filtered by it.
 */
export async function experimentResults(
  ch: ClickHouseHandle,
  options: ResultsOptions,
): Promise<ExperimentResults> {
  const o = resultsOptionsSchema.parse(options);
  const e = o.experiment;
  const nowMs = Math.max(o.now, e.startedAt + 1);
  const exposureEndMs = Math.min(e.stoppedAt ?? nowMs, nowMs);
  const cutoffs = lookCutoffs(e.startedAt, nowMs);
  const common = { merchantId: o.merchantId, experimentId: e.id, startMs: e.startedAt, exposureEndMs };
  const [rows, exposures] = await Promise.all([
    queryVariantStats(ch, {
      ...common,
      nowMs,
      windowMs: e.conversionWindowHours * 3_600_000,
      preMs: o.preExposureDays * DAY,
      cutoffs,
      ...(o.revenueCapQuantile !== undefined ? { revenueCapQuantile: o.revenueCapQuantile } : {}),
    }),
    queryExposureCounts(ch, common),
  ]);

  const defined = new Set(e.variants.map((v) => v.key));
  const unknownVariants = [...new Set([...exposures.keys()].filter((k) => !defined.has(k)))].sort();
  // stats[look - 1][variant index]
  const stats: VariantLookStats[][] = cutoffs.map((_, i) =>
    e.variants.map(
      (v) => rows.find((r) => r.look === i + 1 && r.variant === v.key) ?? emptyStats(i + 1, v.key),
    ),
  );
  const controlIndex = e.variants.findIndex((v) => v.isControl);
  const specs = metricSpecs(o);

  // Estimates and comparisons at every look; the sequential p-values need the whole path.
  const perLook = stats.map((lookStats) => {
    const historyUsers = lookStats.reduce((s, v) => s + v.pre.nHistory, 0);
    const theta = e.mode === 'fixed' && historyUsers >= CUPED_MIN_HISTORY ? cupedFit(lookStats) : undefined;
    const ctx: EstimateContext = { mode: e.mode, ...(theta ? { cuped: theta } : {}) };
    return {
      theta,
      historyUsers,
      estimates: lookStats.map((v) => specs.map((s) => estimateMetric(v, s.metric, ctx))),
    };
  });

  const final = perLook.at(-1);
  const finalStats = stats.at(-1);
  if (!final || !finalStats) throw new Error('no look');

  /**
   * mSPRT mixing scale: τ = mixingEffect × baseline, the baseline being the pooled mean of both arms
   * (under H0 it does not depend on the assignment); see mixingEffect in config.ts for the choice. A zero
   * baseline (nothing happened yet) falls back to the observed variance.
   */
  const tau2For = (t: Estimate, c: Estimate, v: number) => {
    const baseline = t.n + c.n > 0 ? (t.mean * t.n + c.mean * c.n) / (t.n + c.n) : 0;
    const tau = o.mixingEffect * Math.abs(baseline);
    return tau > 0 ? tau * tau : v;
  };

  // Always-valid p-value and confidence sequence of every treatment × metric, look after look: the
  // running minimum of 1/Λ and the running intersection of the intervals.
  const sequential = e.variants.map((_, vi) =>
    specs.map((_s, si) => {
      const path: number[] = [];
      let p = 1;
      let ci: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
      if (vi === controlIndex) return { p, ci: [Number.NaN, Number.NaN] as [number, number], path };
      for (const l of perLook) {
        const t = l.estimates[vi]?.[si] as Estimate;
        const c = l.estimates[controlIndex]?.[si] as Estimate;
        const estimate = t.mean - c.mean;
        const variance = t.variance + c.variance;
        if (
          Number.isFinite(estimate) &&
          variance > 0 &&
          t.n >= MIN_USERS_PER_LOOK &&
          c.n >= MIN_USERS_PER_LOOK
        ) {
          const r = engine.msprt(
            { estimate, variance, tau2: tau2For(t, c, variance) },
            { alpha: o.alpha, previousPValue: p },
          );
          p = r.pValue;
          ci = [Math.max(ci[0], r.ci[0]), Math.min(ci[1], r.ci[1])];
        }
        path.push(p);
      }
      return { p, ci, path };
    }),
  );

  const comparisons = e.variants.map((_, vi) =>
    specs.map((s, si) => {
      if (vi === controlIndex) return undefined;
      const t = final.estimates[vi]?.[si] as Estimate;
      const c = final.estimates[controlIndex]?.[si] as Estimate;
      return compare(t, c, o.alpha, HIGHER_IS_BETTER[s.metric]);
    }),
  );

  // Holm families, each across treatments × its metrics: the primary metric (the ship decision), the
  // guardrails (the stop decision) and the secondary metrics (read, never acted on alone). Each decision
  // keeps its family-wise error ≤ α without secondary metrics diluting the power of the primary one.
  const adjusted = e.variants.map(() => specs.map(() => 1));
  for (const role of ['primary', 'secondary', 'guardrail'] as MetricRole[]) {
    const members: [number, number][] = [];
    e.variants.forEach((_, vi) => {
      if (vi === controlIndex) return;
      specs.forEach((s, si) => {
        if (s.role === role) members.push([vi, si]);
      });
    });
    const adj = engine.holm(members.map(([vi, si]) => sequential[vi]?.[si]?.p ?? 1));
    members.forEach(([vi, si], k) => {
      (adjusted[vi] as number[])[si] = adj[k] ?? 1;
    });
  }

  const z = engine.normalQuantile(1 - o.alpha / 2);
  const variants: VariantResult[] = e.variants.map((def, vi) => {
    const st = finalStats[vi] as VariantLookStats;
    const metrics: MetricResult[] = specs.map((s, si) => {
      const est = final.estimates[vi]?.[si] as Estimate;
      const se = Math.sqrt(est.variance);
      const base: MetricResult = {
        metric: s.metric,
        label: METRIC_LABELS[s.metric],
        role: s.role,
        value: est.mean,
        ci: [est.mean - z * se, est.mean + z * se],
        method: est.method,
      };
      const cmp = comparisons[vi]?.[si];
      if (!cmp) return base;
      const seq = sequential[vi]?.[si] as { p: number; ci: [number, number] };
      const adjustedPValue = adjusted[vi]?.[si] ?? 1;
      const significant = adjustedPValue < o.alpha;
      const better = HIGHER_IS_BETTER[s.metric] ? cmp.difference > 0 : cmp.difference < 0;
      return {
        ...base,
        vsControl: {
          ...cmp,
          sequentialPValue: seq.p,
          sequentialDifferenceCi: seq.ci,
          adjustedPValue,
          significant,
          direction: significant ? (better ? 'better' : 'worse') : 'none',
        },
      };
    });
    const breached = def.isControl
      ? []
      : metrics
          .filter((m) => m.role === 'guardrail' && m.vsControl?.direction === 'worse')
          .map((m) => m.metric);
    return {
      key: def.key,
      isControl: def.isControl,
      weight: def.weight,
      exposedUsers: st.n,
      exposures: exposures.get(def.key) ?? 0,
      conversions: st.outcomes.conv.s,
      addToCarts: st.outcomes.cart.s,
      revenue: st.revenue,
      metrics,
      guardrails: { status: def.isControl ? 'control' : breached.length > 0 ? 'breached' : 'ok', breached },
    };
  });

  // SRM compares users per variant with the weights; a bandit moves the weights on purpose, so it has none.
  const srmTest =
    e.variants.some((v) => v.weight > 0) && variants.some((v) => v.exposedUsers > 0)
      ? engine.sampleRatioMismatch({
          observed: variants.map((v) => v.exposedUsers),
          weights: e.variants.map((v) => v.weight),
          threshold: SRM_THRESHOLD,
        })
      : { chiSquare: 0, pValue: 1, mismatch: false };
  const srm: ExperimentResults['srm'] =
    e.mode === 'bandit'
      ? { status: 'not_applicable', chiSquare: 0, pValue: 1, threshold: SRM_THRESHOLD }
      : {
          status: srmTest.mismatch ? 'mismatch' : 'ok',
          chiSquare: srmTest.chiSquare,
          pValue: srmTest.pValue,
          threshold: SRM_THRESHOLD,
        };

  const primaryIndex = 0;
  const controlPrimary = final.estimates[controlIndex]?.[primaryIndex] as Estimate;
  const elapsedDays = (nowMs - e.startedAt) / DAY;
  const verdict = decideVerdict({
    alpha: o.alpha,
    srm: { flagged: srm.status === 'mismatch', pValue: srm.pValue },
    elapsedDays: (Math.min(nowMs, e.stoppedAt ?? nowMs) - e.startedAt) / DAY,
    maxDurationDays: o.maxDurationDays,
    minimumDetectableEffect: o.minimumDetectableEffect,
    primaryLabel: METRIC_LABELS[e.primaryMetric],
    variants: variants.map((v, vi) => {
      const m = v.metrics[primaryIndex];
      const cmp = m?.vsControl;
      const seqCi = cmp?.sequentialDifferenceCi ?? [Number.NaN, Number.NaN];
      const cm = controlPrimary.mean;
      return {
        key: v.key,
        isControl: vi === controlIndex,
        breachedGuardrails: v.guardrails.breached,
        ...(cmp
          ? {
              primary: {
                adjustedSequentialP: cmp.adjustedPValue,
                lift: cmp.lift,
                better: HIGHER_IS_BETTER[e.primaryMetric] ? cmp.difference > 0 : cmp.difference < 0,
                sequentialLiftCi: cm !== 0 ? [seqCi[0] / cm, seqCi[1] / cm] : [Number.NaN, Number.NaN],
              },
            }
          : {}),
      };
    }),
  });

  const series: SeriesPoint[] = stats.flatMap((lookStats, li) =>
    lookStats.map((st, vi) => {
      const est = perLook[li]?.estimates[vi]?.[primaryIndex] as Estimate;
      const c = perLook[li]?.estimates[controlIndex]?.[primaryIndex] as Estimate;
      const point: SeriesPoint = {
        look: li + 1,
        at: cutoffs[li] as number,
        variant: st.variant,
        exposedUsers: st.n,
        conversions: st.outcomes.conv.s,
        revenue: st.revenue,
        value: est.mean,
      };
      if (vi !== controlIndex) {
        point.lift = c.mean !== 0 ? (est.mean - c.mean) / c.mean : Number.NaN;
        point.sequentialPValue = sequential[vi]?.[primaryIndex]?.path[li] ?? 1;
      }
      return point;
    }),
  );

  return {
    experimentId: e.id,
    key: e.key,
    mode: e.mode,
    alpha: o.alpha,
    primaryMetric: e.primaryMetric,
    asOf: nowMs,
    startedAt: e.startedAt,
    elapsedDays,
    looks: cutoffs.length,
    srm,
    cuped: {
      applied: final.theta !== undefined && specs.some((s) => s.metric === 'revenue_per_user'),
      ...(final.theta ? { theta: final.theta.theta } : {}),
      usersWithHistory: final.historyUsers,
    },
    ...(o.revenueCapQuantile !== undefined ? { revenueCap: { quantile: o.revenueCapQuantile } } : {}),
    variants,
    unknownVariants,
    verdict,
    series,
  };
}
