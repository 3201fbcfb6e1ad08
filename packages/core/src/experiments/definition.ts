import { z } from 'zod';
import { validatePitchTemplate } from '../pitch-template';

/*
 * What a growth team writes down before an experiment runs: the question (hypothesis), where it
 * applies (scope), the pitches (variants), and how it will be judged (metrics, conversion window).
 * Fixing the primary metric and the window up front is what keeps a team from fooling itself by
 * picking, after the fact, the metric that happened to move.
 */

export const PRIMARY_METRICS = ['conversion', 'revenue_per_user', 'add_to_cart'] as const;
export type PrimaryMetric = (typeof PRIMARY_METRICS)[number];

export const GUARDRAIL_METRICS = ['stop_after_pitch', 'fallback_rate', 'refund_rate'] as const;
export type GuardrailMetric = (typeof GUARDRAIL_METRICS)[number];

/** Secondary metrics are reported but decide nothing: any metric the results can compute. */
export const SECONDARY_METRICS = [...PRIMARY_METRICS, ...GUARDRAIL_METRICS] as const;
export type SecondaryMetric = (typeof SECONDARY_METRICS)[number];

export const EXPERIMENT_MODES = ['fixed', 'bandit'] as const;
export type ExperimentMode = (typeof EXPERIMENT_MODES)[number];

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 10;
/** Weights are integers; a bandit writes its traffic shares in basis points (1–10,000). */
export const MAX_VARIANT_WEIGHT = 10_000;

/**
 * Users in an experiment's holdout hear the pitch they would hear without the experiment, and are
 * recorded with this variant key so results can compare "any variant" against "no experiment".
 * No variant may use it as its own key.
 */
export const HOLDOUT_VARIANT_KEY = 'holdout';

/** Keys travel in events as `expKey:variantKey`, so they are short, lower-case and colon-free. */
export const EXPERIMENT_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const experimentKeySchema = z
  .string()
  .regex(
    EXPERIMENT_KEY_PATTERN,
    'use 1–63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
  );
export const variantKeySchema = experimentKeySchema.refine((key) => key !== HOLDOUT_VARIANT_KEY, {
  message: `"${HOLDOUT_VARIANT_KEY}" is reserved for users held out of the experiment`,
});

export const experimentScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), productId: z.uuid() }),
  z.object({ kind: z.literal('category'), category: z.string().trim().min(1).max(200) }),
  /** The pitch of the featured product spoken when the skill opens. */
  z.object({ kind: z.literal('launch') }),
]);
export type ExperimentScope = z.infer<typeof experimentScopeSchema>;
export type ExperimentScopeKind = ExperimentScope['kind'];

/**
 * The pitch slot an experiment occupies when its author names none. Experiments in one layer are
 * mutually exclusive (see assignment.ts), so the default puts every experiment on the same product,
 * the same category or the launch pitch into one layer. A product experiment and a category
 * experiment covering that product are in different layers by default; the skill then speaks the
 * more specific one (see `pickPitchAssignment`). Give both the same layer to make them exclusive.
 */
export function defaultLayer(scope: ExperimentScope): string {
  switch (scope.kind) {
    case 'product':
      return `product:${scope.productId}`;
    case 'category':
      // Layer names have no spaces; categories do ("Brewing Gear"), so runs of space become '-'.
      return `category:${scope.category.trim().toLowerCase().replace(/\s+/g, '-')}`;
    case 'launch':
      return 'launch';
  }
}

export const variantInputSchema = z.object({
  key: variantKeySchema,
  name: z.string().trim().min(1).max(200),
  /** SSML fragment with {{placeholders}}; checked with validatePitchTemplate, errors located. */
  template: z.string().min(1).max(20_000),
  weight: z.int().min(1).max(MAX_VARIANT_WEIGHT),
  isControl: z.boolean().default(false),
});
export type VariantInput = z.input<typeof variantInputSchema>;
export type VariantDefinition = z.output<typeof variantInputSchema>;

const layerSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'a layer name has no spaces');

const experimentFields = {
  key: experimentKeySchema,
  name: z.string().trim().min(1).max(200),
  hypothesis: z.string().trim().max(2000),
  scope: experimentScopeSchema,
  variants: z.array(variantInputSchema).min(MIN_VARIANTS).max(MAX_VARIANTS),
  primaryMetric: z.enum(PRIMARY_METRICS),
  secondaryMetrics: z.array(z.enum(SECONDARY_METRICS)).max(SECONDARY_METRICS.length),
  guardrailMetrics: z.array(z.enum(GUARDRAIL_METRICS)).max(GUARDRAIL_METRICS.length),
  /** How long after a user's first exposure an order still counts for the variant heard. */
  conversionWindowHours: z.int().min(1).max(8760),
  layer: layerSchema,
  /** Percent of the experiment's users who hear no variant (0 = no holdout). */
  holdoutPercent: z.int().min(0).max(50),
  mode: z.enum(EXPERIMENT_MODES),
  /**
   * Bandit mode: the least traffic share any variant keeps, so no arm starves and every exposure
   * keeps a probability far enough from 0 for inverse-propensity weights to stay bounded.
   */
  banditFloor: z.number().min(0.01).max(0.5),
  /**
   * Winsorises revenue per user in the results at this quantile of the buyers' revenue (e.g. 0.99), so
   * one whale order cannot swing the revenue metric; null: no cap. An analysis choice, so like the
   * metrics it is fixed once the experiment runs (lifecycle.ts).
   */
  revenueCapQuantile: z.number().gt(0.5).lt(1).nullable(),
};

export const DEFAULT_CONVERSION_WINDOW_HOURS = 72;
export const DEFAULT_BANDIT_FLOOR = 0.05;

/** The whole definition, defaults applied; what is stored and what `start` checks. */
export const experimentDefinitionSchema = z
  .object({
    ...experimentFields,
    name: experimentFields.name.optional(),
    hypothesis: experimentFields.hypothesis.default(''),
    secondaryMetrics: experimentFields.secondaryMetrics.default([]),
    guardrailMetrics: experimentFields.guardrailMetrics.default([]),
    conversionWindowHours: experimentFields.conversionWindowHours.default(DEFAULT_CONVERSION_WINDOW_HOURS),
    layer: experimentFields.layer.optional(),
    holdoutPercent: experimentFields.holdoutPercent.default(0),
    mode: experimentFields.mode.default('fixed'),
    banditFloor: experimentFields.banditFloor.default(DEFAULT_BANDIT_FLOOR),
    revenueCapQuantile: experimentFields.revenueCapQuantile.optional(),
  })
  .superRefine(checkDefinition)
  .transform((d) => ({ ...d, name: d.name ?? d.key, layer: d.layer ?? defaultLayer(d.scope) }));

export type ExperimentDefinitionInput = z.input<typeof experimentDefinitionSchema>;
export type ExperimentDefinition = z.output<typeof experimentDefinitionSchema>;

/**
 * An edit: any subset of the fields except the key (events already carry it). `variants`, when
 * present, is the whole desired list; lifecycle.ts decides which differences the state allows.
 */
export const experimentPatchSchema = z
  .object(experimentFields)
  .omit({ key: true })
  .partial()
  .strict()
  .superRefine((patch, ctx) => {
    if (patch.variants) checkVariants(patch.variants, ctx, patch.mode, patch.banditFloor);
  });
export type ExperimentPatchInput = z.input<typeof experimentPatchSchema>;
export type ExperimentPatch = z.output<typeof experimentPatchSchema>;

interface DefinitionLike {
  variants: VariantDefinition[];
  primaryMetric: PrimaryMetric;
  secondaryMetrics: SecondaryMetric[];
  guardrailMetrics: GuardrailMetric[];
  mode: ExperimentMode;
  banditFloor: number;
}

function checkDefinition(d: DefinitionLike, ctx: z.RefinementCtx): void {
  checkVariants(d.variants, ctx, d.mode, d.banditFloor);
  for (const [list, name] of [
    [d.secondaryMetrics, 'secondaryMetrics'],
    [d.guardrailMetrics, 'guardrailMetrics'],
  ] as const) {
    if (new Set(list).size !== list.length) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'a metric is listed twice' });
    }
  }
  if ((d.secondaryMetrics as string[]).includes(d.primaryMetric)) {
    ctx.addIssue({
      code: 'custom',
      path: ['secondaryMetrics'],
      message: `${d.primaryMetric} is already the primary metric`,
    });
  }
}

/** Rules over the variant list: what a single variant's schema cannot see. Also used for edits. */
export function checkVariants(
  variants: VariantDefinition[],
  ctx: z.RefinementCtx,
  mode: ExperimentMode | undefined,
  banditFloor: number | undefined,
): void {
  const controls = variants.filter((v) => v.isControl).length;
  if (controls !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['variants'],
      message: `exactly one variant must be the control (found ${controls})`,
    });
  }
  const seen = new Set<string>();
  variants.forEach((variant, i) => {
    if (seen.has(variant.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'key'],
        message: `variant key "${variant.key}" is used twice`,
      });
    }
    seen.add(variant.key);
    const check = validatePitchTemplate(variant.template);
    if (!check.ok) {
      for (const error of check.errors) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'template'],
          message: `line ${error.line}, column ${error.column}: ${error.message}`,
          params: { offset: error.offset, line: error.line, column: error.column },
        });
      }
    }
  });
  if (mode === 'bandit' && banditFloor !== undefined) {
    if (banditFloor * variants.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['banditFloor'],
        message: `a floor of ${banditFloor} for ${variants.length} variants adds up to more than all traffic`,
      });
    }
    const total = variants.reduce((sum, v) => sum + v.weight, 0);
    variants.forEach((variant, i) => {
      if (variant.weight / total < banditFloor) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'weight'],
          message: `this weight gives ${((100 * variant.weight) / total).toFixed(2)}% of traffic, below the bandit floor of ${100 * banditFloor}%`,
        });
      }
    });
  }
}
