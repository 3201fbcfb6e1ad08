import type { Metric } from './config';
import type { Comparison, Estimate } from './estimates';
import type { Verdict } from './verdict';

/** What experimentResults returns: the shapes every step of the analysis fills in (analysis.ts). */

export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export interface MetricComparison extends Comparison {
  /** Always-valid (mSPRT) p-value: valid however many daily looks were taken. */
  sequentialPValue: number;
  /** The mSPRT confidence sequence of the difference at this look. */
  sequentialDifferenceCi: [number, number];
  /**
   * The always-valid interval of the relative lift (its own confidence sequence, delta method); null when
   * the control is zero or no look has counted yet.
   */
  sequentialLiftCi: [number, number] | null;
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
