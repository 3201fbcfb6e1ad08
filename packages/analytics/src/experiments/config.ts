import { GUARDRAIL_METRICS, PRIMARY_METRICS, SECONDARY_METRICS } from '@pitchline/core';
import { z } from 'zod';

/** The metric names are the experiment definition's (core/experiments/definition.ts). */
export type Metric = (typeof SECONDARY_METRICS)[number];

/** Which direction is good, so that "significantly worse" means something for every metric. */
export const HIGHER_IS_BETTER: Record<Metric, boolean> = {
  conversion: true,
  revenue_per_user: true,
  add_to_cart: true,
  stop_after_pitch: false,
  fallback_rate: false,
  refund_rate: false,
};

export const METRIC_LABELS: Record<Metric, string> = {
  conversion: 'paid-order conversion',
  revenue_per_user: 'revenue per exposed user',
  add_to_cart: 'add-to-cart rate',
  stop_after_pitch: 'stop/cancel right after the pitch',
  fallback_rate: 'fallback rate',
  refund_rate: 'refund rate',
};

const key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/);
const instant = z
  .union([z.date(), z.number().int().min(0)])
  .transform((v) => (typeof v === 'number' ? v : v.getTime()));

export const resultsExperimentSchema = z
  .object({
    id: z.uuid(),
    key,
    variants: z
      .array(z.object({ key, weight: z.number().min(0), isControl: z.boolean() }))
      .min(2)
      .max(10),
    primaryMetric: z.enum(PRIMARY_METRICS),
    secondaryMetrics: z.array(z.enum(SECONDARY_METRICS)).default([]),
    guardrailMetrics: z.array(z.enum(GUARDRAIL_METRICS)).default([]),
    conversionWindowHours: z.number().int().min(1).max(8760),
    startedAt: instant,
    /** Null or absent while running (drizzle rows carry null). */
    stoppedAt: instant.nullish(),
    mode: z.enum(['fixed', 'bandit']).default('fixed'),
    /** Percent of the experiment's users held out (recorded as variant `holdout`); 0: none. */
    holdoutPercent: z.number().min(0).max(100).default(0),
    /**
     * The definition's revenue cap (core definition.ts): winsorise per-user revenue at this quantile of
     * buyers' revenue. Null or absent: no cap. The results option of the same name overrides it.
     */
    revenueCapQuantile: z.number().gt(0.5).lt(1).nullish(),
  })
  .refine((e) => e.variants.filter((v) => v.isControl).length === 1, 'exactly one variant is the control')
  .refine((e) => new Set(e.variants.map((v) => v.key)).size === e.variants.length, 'variant keys are unique');

export type ResultsExperiment = z.input<typeof resultsExperimentSchema>;
export type ParsedExperiment = z.output<typeof resultsExperimentSchema>;

export const resultsOptionsSchema = z.object({
  merchantId: z.uuid(),
  experiment: resultsExperimentSchema,
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  now: instant,
  /**
   * The planned maximum duration: past it, an experiment without a winner is called inconclusive
   * instead of being left running forever.
   */
  maxDurationDays: z.number().int().min(1).max(365).default(28),
  /**
   * The smallest relative lift of the primary metric worth shipping. Once the always-valid interval of
   * every treatment lies inside ±MDE of the control, waiting longer cannot find an effect worth having.
   */
  minimumDetectableEffect: z.number().gt(0).max(10).default(0.1),
  /**
   * Relative effect setting the scale of the mSPRT mixture, τ = mixingEffect × pooled baseline: where
   * the always-valid test is most sensitive. Any fixed τ keeps the guarantee; only power depends on it,
   * and lopsidedly: a τ larger than the true effect costs ½·ln(1 + τ²/V) of log-evidence (a few tens of
   * percent more users for an effect of the MDE), a τ much smaller caps the evidence near 1 whatever the
   * effect (τ = MDE = 10 % left a doubled conversion rate undetectable at a few hundred users per arm).
   * Default 0.3: pitch rewrites move conversion by tens of percent when they matter at all.
   */
  mixingEffect: z.number().gt(0).max(10).default(0.3),
  /** Payments in this many days before a user's first exposure are the CUPED covariate. */
  preExposureDays: z.number().int().min(1).max(365).default(30),
  /** Caps (winsorises) per-user revenue at this quantile of buyers' revenue; undefined: no cap. */
  revenueCapQuantile: z.number().gt(0.5).lt(1).optional(),
});

export type ResultsOptions = z.input<typeof resultsOptionsSchema>;
export type ParsedResultsOptions = z.output<typeof resultsOptionsSchema>;
