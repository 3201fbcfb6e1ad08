import { stats as engine, HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import { HIGHER_IS_BETTER, METRIC_LABELS, type Metric, type ParsedResultsOptions } from './config';
import {
  type Comparison,
  compare,
  cupedFit,
  type Estimate,
  type EstimateContext,
  estimateMetric,
} from './estimates';
import type { SrmArmCount } from './srm-expected.query';
import type { VariantLookStats } from './variant-stats.query';
import { decideVerdict, type Verdict } from './verdict';

/*
 * The pure half of the results: sufficient statistics per (look, arm) in, estimates, always-valid tests,
 * SRM and verdict out. No I/O, so the A/A simulation (analysis.aa.test.ts) runs exactly this code with
 * exactly these settings, without ClickHouse.
 */

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
/**
 * Logged probabilities of one arm that differ by more than this (relatively) mean its share changed
 * during the run; below it they are the same bucket share printed twice.
 */
const PROBABILITY_TOLERANCE = 1e-9;

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
  /**
   * Against the holdout (users who heard no variant), when the experiment has one: what running the
   * experiment at all does. Informational: Holm-adjusted in families of their own, never in the verdict.
   */
  vsHoldout?: MetricComparison;
}

/** Counts and metrics of one arm (a variant or the holdout). */
export interface ArmResult {
  key: string;
  exposedUsers: number;
  /** Pitch exposure events (a user can hear the pitch more than once). */
  exposures: number;
  /** Users with a paid order inside the window after their first exposure. */
  conversions: number;
  addToCarts: number;
  /** Net revenue (payments − refunds of those orders) inside the window, minor units, uncapped. */
  revenue: number;
  metrics: MetricResult[];
}

export interface VariantResult extends ArmResult {
  isControl: boolean;
  weight: number;
  guardrails: { status: 'ok' | 'breached' | 'control'; breached: Metric[] };
}

export interface HoldoutResult extends ArmResult {
  /** The share of the experiment's users held out, as logged with their exposures (the latest). */
  share: number;
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
    status: 'ok' | 'mismatch';
    chiSquare: number;
    pValue: number;
    threshold: number;
    /** Users per arm (variants, then the holdout if any), and what the split in force implies. */
    arms: { key: string; observed: number; expected: number }[];
    /** True when the expectation follows shares that changed during the run (an edit or a bandit). */
    weightsChanged: boolean;
  };
  /**
   * How per-user means are averaged. 'ipw': Hájek inverse-propensity weights (w = 1/assignment
   * probability), in bandit mode and whenever an arm's logged probability changed during a fixed
   * run; otherwise plain means. Ratio metrics are unweighted either way.
   */
  weighting: { method: 'plain' | 'ipw'; reason: string };
  cuped: { applied: boolean; theta?: number; usersWithHistory: number };
  revenueCap?: { quantile: number };
  variants: VariantResult[];
  /** Users held out of the experiment, when it has a holdout (or holdout exposures were logged). */
  holdout?: HoldoutResult;
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
    probability: { min: Number.NaN, max: Number.NaN, last: Number.NaN },
    outcomes: { conv: zero, cart: zero, rev: zero, stopped: zero },
    ratios: { fallback: ratio, refund: ratio },
    pre: { s: 0, ss: 0, sxy: 0, nHistory: 0, syHistory: 0 },
    revenue: 0,
  };
};

export interface AnalysisInput {
  options: ParsedResultsOptions;
  /** Look cutoffs (lookCutoffs), the last one is "now". */
  cutoffs: number[];
  /** Sums per (look, arm) as variant-stats.query returns them; missing rows are empty arms. */
  rows: readonly VariantLookStats[];
  /** Exposure events per arm key. */
  exposures: ReadonlyMap<string, number>;
  /** Observed and expected users per arm that logged exposures (srm-expected.query). */
  srmCounts: readonly SrmArmCount[];
}

/**
 * Always-valid p-value and confidence sequence of arm − reference on one metric, look after look: the
 * running minimum of 1/Λ and the running intersection of the intervals (sequential.ts for Λ).
 *
 * mSPRT mixing scale: τ = mixingEffect × baseline, the baseline being the pooled mean of both arms
 * (under H0 it does not depend on the assignment), re-estimated at each look; see mixingEffect in
 * config.ts for the choice. A zero baseline (nothing happened yet) falls back to the observed variance.
 * A look counts once both arms have MIN_USERS_PER_LOOK users.
 */
function sequentialPath(
  looks: readonly Estimate[][],
  arm: number,
  reference: number,
  alpha: number,
  mixingEffect: number,
): { p: number; ci: [number, number]; path: number[] } {
  const path: number[] = [];
  let p = 1;
  let ci: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (const l of looks) {
    const t = l[arm] as Estimate;
    const c = l[reference] as Estimate;
    const estimate = t.mean - c.mean;
    const variance = t.variance + c.variance;
    if (Number.isFinite(estimate) && variance > 0 && t.n >= MIN_USERS_PER_LOOK && c.n >= MIN_USERS_PER_LOOK) {
      const baseline = (t.mean * t.n + c.mean * c.n) / (t.n + c.n);
      const tau = mixingEffect * Math.abs(baseline);
      const r = engine.msprt(
        { estimate, variance, tau2: tau > 0 ? tau * tau : variance },
        { alpha, previousPValue: p },
      );
      p = r.pValue;
      ci = [Math.max(ci[0], r.ci[0]), Math.min(ci[1], r.ci[1])];
    }
    path.push(p);
  }
  return { p, ci, path };
}

/** The arms whose logged probability changed during the run, each with its range ("b 50.0%–20.0%"). */
function probabilityChanges(arms: readonly VariantLookStats[]): string[] {
  return arms
    .filter(
      (a) => a.n > 0 && a.probability.max - a.probability.min > PROBABILITY_TOLERANCE * a.probability.max,
    )
    .map((a) => `${a.variant} ${fmtShare(a.probability.min)}–${fmtShare(a.probability.max)}`);
}

const fmtShare = (p: number) => `${(100 * p).toFixed(1)}%`;

/**
 * Per-arm results of one experiment from its sums per look, with the verdict they imply.
 */
export function analyseExperiment(input: AnalysisInput): ExperimentResults {
  const o = input.options;
  const e = o.experiment;
  const { cutoffs } = input;
  const nowMs = cutoffs.at(-1) as number;
  const specs = metricSpecs(o);

  // Arms: the defined variants, then the holdout when there is one.
  const defined = new Set(e.variants.map((v) => v.key));
  const seenKeys = new Set([...input.exposures.keys(), ...input.rows.map((r) => r.variant)]);
  const hasHoldout = e.holdoutPercent > 0 || seenKeys.has(HOLDOUT_VARIANT_KEY);
  const armKeys = [...e.variants.map((v) => v.key), ...(hasHoldout ? [HOLDOUT_VARIANT_KEY] : [])];
  const holdoutIndex = hasHoldout ? e.variants.length : -1;
  const unknownVariants = [...seenKeys].filter((k) => !defined.has(k) && k !== HOLDOUT_VARIANT_KEY).sort();
  const byLookArm = new Map(input.rows.map((r) => [`${r.look}\u0000${r.variant}`, r]));
  // stats[look − 1][arm]
  const stats: VariantLookStats[][] = cutoffs.map((_, i) =>
    armKeys.map((k) => byLookArm.get(`${i + 1}\u0000${k}`) ?? emptyStats(i + 1, k)),
  );
  const finalStats = stats.at(-1) as VariantLookStats[];
  const controlIndex = e.variants.findIndex((v) => v.isControl);

  // Plain means are unbiased only if each arm's share stayed put; otherwise users of different periods
  // are mixed in different proportions per arm (Simpson's paradox when the baseline drifts), and the
  // Hájek estimator re-weights every arm to the same mix. Decided once for the whole run, so every look
  // of the sequential test uses the same estimator.
  const moved = probabilityChanges(finalStats);
  const weighting: ExperimentResults['weighting'] =
    e.mode === 'bandit'
      ? {
          method: 'ipw',
          reason: 'Bandit mode moves traffic on purpose: means are weighted by 1/assignment probability.',
        }
      : moved.length > 0
        ? {
            method: 'ipw',
            reason: `Assignment shares changed during the run (${moved.join('; ')}): means are weighted by 1/assignment probability so that every arm stands for the same mix of periods.`,
          }
        : { method: 'plain', reason: 'Every arm kept its share for the whole run: plain means.' };
  const ipw = weighting.method === 'ipw';

  // Estimates at every look; the sequential p-values need the whole path.
  const perLook = stats.map((lookStats) => {
    const historyUsers = lookStats.reduce((s, v) => s + v.pre.nHistory, 0);
    const theta = !ipw && historyUsers >= CUPED_MIN_HISTORY ? cupedFit(lookStats) : undefined;
    const ctx: EstimateContext = { ipw, ...(theta ? { cuped: theta } : {}) };
    return {
      theta,
      historyUsers,
      estimates: lookStats.map((v) => specs.map((s) => estimateMetric(v, s.metric, ctx))),
    };
  });
  const final = perLook.at(-1);
  if (!final) throw new Error('no look');
  const estimatesOf = (si: number) => perLook.map((l) => l.estimates.map((arm) => arm[si] as Estimate));

  /**
   * Every arm of `members` against `reference` on every metric: fixed-horizon comparison, always-valid
   * p-value and confidence sequence, and Holm adjustment in one family per metric role, each across
   * arms × its metrics: the primary metric (the ship decision), the guardrails (the stop decision) and
   * the secondary metrics (read, never acted on alone). Each decision keeps its family-wise error ≤ α
   * without secondary metrics diluting the power of the primary one.
   */
  const compareAll = (reference: number, members: number[]): Map<number, MetricComparison[]> => {
    const raw = members.map((ai) =>
      specs.map((s, si) => {
        const seq = sequentialPath(estimatesOf(si), ai, reference, o.alpha, o.mixingEffect);
        const t = final.estimates[ai]?.[si] as Estimate;
        const c = final.estimates[reference]?.[si] as Estimate;
        return { seq, cmp: compare(t, c, o.alpha, HIGHER_IS_BETTER[s.metric]) };
      }),
    );
    const adjusted = members.map(() => specs.map(() => 1));
    for (const role of ['primary', 'secondary', 'guardrail'] as MetricRole[]) {
      const family: [number, number][] = [];
      members.forEach((_, mi) => {
        specs.forEach((s, si) => {
          if (s.role === role) family.push([mi, si]);
        });
      });
      const adj = engine.holm(family.map(([mi, si]) => raw[mi]?.[si]?.seq.p ?? 1));
      family.forEach(([mi, si], k) => {
        (adjusted[mi] as number[])[si] = adj[k] ?? 1;
      });
    }
    return new Map(
      raw.map((row, mi) => [
        members[mi] as number,
        row.map(({ seq, cmp }, si): MetricComparison => {
          const metric = (specs[si] as MetricSpec).metric;
          const adjustedPValue = adjusted[mi]?.[si] ?? 1;
          const significant = adjustedPValue < o.alpha;
          const better = HIGHER_IS_BETTER[metric] ? cmp.difference > 0 : cmp.difference < 0;
          return {
            ...cmp,
            sequentialPValue: seq.p,
            sequentialDifferenceCi: seq.ci,
            adjustedPValue,
            significant,
            direction: significant ? (better ? 'better' : 'worse') : 'none',
          };
        }),
      ]),
    );
  };

  const treatments = e.variants.map((_, vi) => vi).filter((vi) => vi !== controlIndex);
  const vsControl = compareAll(controlIndex, treatments);
  const vsHoldout = hasHoldout
    ? compareAll(
        holdoutIndex,
        e.variants.map((_, vi) => vi),
      )
    : new Map<number, MetricComparison[]>();
  const primaryPaths = new Map(
    treatments.map((vi) => [
      vi,
      sequentialPath(estimatesOf(0), vi, controlIndex, o.alpha, o.mixingEffect).path,
    ]),
  );

  const z = engine.normalQuantile(1 - o.alpha / 2);
  const armResult = (ai: number): ArmResult => {
    const st = finalStats[ai] as VariantLookStats;
    const metrics: MetricResult[] = specs.map((s, si) => {
      const est = final.estimates[ai]?.[si] as Estimate;
      const se = Math.sqrt(est.variance);
      const control = vsControl.get(ai)?.[si];
      const holdout = vsHoldout.get(ai)?.[si];
      return {
        metric: s.metric,
        label: METRIC_LABELS[s.metric],
        role: s.role,
        value: est.mean,
        ci: [est.mean - z * se, est.mean + z * se],
        method: est.method,
        ...(control ? { vsControl: control } : {}),
        ...(holdout ? { vsHoldout: holdout } : {}),
      };
    });
    return {
      key: armKeys[ai] as string,
      exposedUsers: st.n,
      exposures: input.exposures.get(armKeys[ai] as string) ?? 0,
      conversions: st.outcomes.conv.s,
      addToCarts: st.outcomes.cart.s,
      revenue: st.revenue,
      metrics,
    };
  };
  const variants: VariantResult[] = e.variants.map((def, vi) => {
    const arm = armResult(vi);
    const breached = def.isControl
      ? []
      : arm.metrics
          .filter((m) => m.role === 'guardrail' && m.vsControl?.direction === 'worse')
          .map((m) => m.metric);
    return {
      ...arm,
      isControl: def.isControl,
      weight: def.weight,
      guardrails: { status: def.isControl ? 'control' : breached.length > 0 ? 'breached' : 'ok', breached },
    };
  });
  const holdoutStats = finalStats[holdoutIndex];
  const holdout: HoldoutResult | undefined = hasHoldout
    ? {
        ...armResult(holdoutIndex),
        share: Number.isFinite(holdoutStats?.probability.last)
          ? (holdoutStats?.probability.last as number)
          : e.holdoutPercent / 100,
      }
    : undefined;

  const srm = sampleRatio(o, armKeys, input.srmCounts, moved.length > 0);

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
      const cmp = v.metrics[primaryIndex]?.vsControl;
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
    e.variants.map((_, vi) => {
      const st = lookStats[vi] as VariantLookStats;
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
        point.sequentialPValue = primaryPaths.get(vi)?.[li] ?? 1;
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
    weighting,
    cuped: {
      applied: final.theta !== undefined && specs.some((s) => s.metric === 'revenue_per_user'),
      ...(final.theta ? { theta: final.theta.theta } : {}),
      usersWithHistory: final.historyUsers,
    },
    ...(o.revenueCapQuantile !== undefined ? { revenueCap: { quantile: o.revenueCapQuantile } } : {}),
    variants,
    ...(holdout ? { holdout } : {}),
    unknownVariants,
    verdict,
    series,
  };
}

/**
 * SRM against the split in force at each user's first exposure (srm-expected.query.ts), in both modes.
 * An arm that never logged an exposure has no logged share: it is expected to have received its share
 * of today's configuration (the variants' weights, the holdout's percentage) — a variant nobody ever
 * hears is the plainest split bug there is — and the logged arms' expectations shrink to make room.
 */
function sampleRatio(
  o: ParsedResultsOptions,
  armKeys: readonly string[],
  counts: readonly SrmArmCount[],
  weightsChanged: boolean,
): ExperimentResults['srm'] {
  const e = o.experiment;
  const byArm = new Map(counts.map((c) => [c.arm, c]));
  const total = counts.reduce((s, c) => s + c.observed, 0);
  const weightSum = e.variants.reduce((s, v) => s + v.weight, 0);
  const configuredShare = (key: string) => {
    const holdout = e.holdoutPercent / 100;
    if (key === HOLDOUT_VARIANT_KEY) return holdout;
    const w = e.variants.find((v) => v.key === key)?.weight ?? 0;
    return weightSum > 0 ? ((1 - holdout) * w) / weightSum : 0;
  };
  const missing = armKeys.filter((k) => !byArm.has(k));
  const missingShare = Math.min(
    1,
    missing.reduce((s, k) => s + configuredShare(k), 0),
  );
  const arms = armKeys.map((key) => {
    const c = byArm.get(key);
    return {
      key,
      observed: c?.observed ?? 0,
      expected: c ? c.expected * (1 - missingShare) : total * configuredShare(key),
    };
  });
  if (total === 0) {
    return { status: 'ok', chiSquare: 0, pValue: 1, threshold: SRM_THRESHOLD, arms, weightsChanged };
  }
  // E_j are counts summing to N, so passing them as the weights gives E_j = N·E_j/ΣE = E_j.
  const test = engine.sampleRatioMismatch({
    observed: arms.map((a) => a.observed),
    weights: arms.map((a) => a.expected),
    threshold: SRM_THRESHOLD,
  });
  return {
    status: test.mismatch ? 'mismatch' : 'ok',
    chiSquare: test.chiSquare,
    pValue: test.pValue,
    threshold: SRM_THRESHOLD,
    arms,
    weightsChanged,
  };
}
