import { DEMO_PRODUCTS } from '@pitchline/db';
import { z } from 'zod';

/**
 * What a simulation run is: who the shoppers are, how they behave, and the TRUE effect of every pitch
 * variant of the demo experiment. Because the truth is written here, experiment results computed from
 * the recorded events can be checked against it (a lift the dashboard reports should match the lift
 * set below, within its confidence interval).
 *
 * Probabilities are per session. The purchase probability is the shopper's intent to buy; the paid
 * conversion analytics measures is that intent times the share who linked an account times the share
 * whose card goes through, the same factors for every variant, so relative lifts carry over unchanged.
 */

const probability = z.number().min(0).max(1);
const weight = z.number().min(0);

export const variantTruthSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  name: z.string().min(1),
  /** Pitch template spoken for this variant (core's pitch-template syntax). */
  template: z.string().min(1),
  weight: z.number().int().min(0).default(1),
  isControl: z.boolean().default(false),
  /** True relative effect on the purchase probability: 1 = as the control, 1.4 = +40 %. */
  purchaseMultiplier: z.number().min(0).max(10).default(1),
  /** True probability that a shopper who hears this pitch says stop right away. */
  stopAfterPitch: probability.optional(),
});
export type VariantTruth = z.infer<typeof variantTruthSchema>;

export const experimentConfigSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  name: z.string().min(1),
  hypothesis: z.string().default(''),
  /** The product whose pitch is tested (by catalog name); it is the one the launch greeting features. */
  productName: z.string().min(1),
  variants: z.array(variantTruthSchema).min(2).max(10),
});
export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;

/** Strict, as every object here: a misspelt key in a config file ("shopers") is refused, not ignored. */
export const simulatorConfigSchema = z.strictObject({
  seed: z.union([z.string(), z.number()]).default('pitchline-demo'),
  /** Distinct shoppers; each first visits on a random simulated day, some come back later. */
  shoppers: z.number().int().min(1).max(1_000_000).default(50),
  /** Past days to replay (0: live traffic now, through the running server). */
  days: z.number().int().min(0).max(366).default(0),
  /** The daily traffic curve is in this zone's local hours; a replay uses its merchant's zone instead. */
  timeZone: z.string().default('America/New_York'),
  /** Relative traffic per local hour 0–23: mornings, lunch and evenings are busy, nights quiet. */
  hourlyTraffic: z
    .array(weight)
    .length(24)
    .default([
      0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.2, 2.4, 1.6, 1.2, 1.4, 2.0, 1.8, 1.2, 1.1, 1.3, 1.8, 2.6, 3.0, 2.8,
      2.0, 1.0, 0.5,
    ]),
  locales: z.record(z.string(), weight).default({ 'en-US': 0.8, 'en-GB': 0.1, 'en-CA': 0.1 }),
  /** Share of Echo Show-like devices (APL, a viewport). */
  screenShare: probability.default(0.4),
  /** Share of shoppers who linked an account (the others get the link card at checkout). */
  linkedShare: probability.default(0.9),
  /** Test cards of linked shoppers (Stripe test-mode PaymentMethods). */
  cards: z
    .record(z.string(), weight)
    .default({ pm_card_visa: 0.95, pm_card_chargeDeclined: 0.03, pm_card_authenticationRequired: 0.02 }),
  /** Chance that a shopper comes back for another session, each time (on a later day). */
  returnRate: probability.default(0.3),
  /** What a session is about when the shopper does not buy right after the pitch. */
  intents: z
    .strictObject({
      browse: weight.default(4),
      search: weight.default(2),
      help: weight.default(1),
      confused: weight.default(1),
      hesitate: weight.default(1),
      abandonCart: weight.default(1),
    })
    .default({ browse: 4, search: 2, help: 1, confused: 1, hesitate: 1, abandonCart: 1 }),
  /** The control's purchase probability per session in which the shopper heard the pitch. */
  basePurchase: probability.default(0.1),
  /** The control's probability of stopping right after the pitch. */
  baseStopAfterPitch: probability.default(0.12),
  /** Mean seconds a shopper thinks between two turns. */
  thinkSeconds: z.number().min(0).max(60).default(5),
  /** Sessions in flight at once. */
  concurrency: z.number().int().min(1).max(512).default(16),
  /** Products the shoppers ask about, by catalog name and category. */
  catalog: z
    .array(z.strictObject({ name: z.string().min(1), category: z.string().min(1) }))
    .min(1)
    .default(DEMO_PRODUCTS.map((p) => ({ name: p.name, category: p.category as string }))),
  /** Things shoppers ask for that the shop does not sell (searches that find nothing). */
  unknownProducts: z
    .array(z.string().min(1))
    .default(['green tea', 'french press', 'oat milk', 'croissants']),
  experiment: experimentConfigSchema.optional(),
  /**
   * A replay's experiment starts this many days before the window's end (at a local midnight); the days
   * before are a baseline without it, as a shop has traffic before it starts testing. Default: the whole
   * window.
   */
  experimentDays: z.number().int().min(1).max(366).optional(),
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
export type SimulatorConfigInput = z.input<typeof simulatorConfigSchema>;

/**
 * The demo experiment: three pitches for the featured coffee with known true effects, large enough for a
 * few hundred shoppers to settle: B (a concrete sensory promise and social proof) truly doubles the
 * purchase rate; C (a discount-free "limited stock" push) halves it and makes 40 % of shoppers stop right
 * after it (12 % for the others). The verdict this truth implies is "ship b": B beats the control on
 * the primary metric, and C's extra stops are a secondary metric, not a guardrail (see setup.ts).
 */
export const DEMO_EXPERIMENT: ExperimentConfig = {
  key: 'yirgacheffe-pitch',
  name: 'Yirgacheffe launch pitch',
  hypothesis:
    'A concrete tasting promise sells more of the featured coffee than the roasters’ story; pressure sells less.',
  productName: 'Ethiopia Yirgacheffe',
  variants: [
    {
      key: 'control',
      name: 'Roasters’ pick',
      template:
        '{{product}} is the coffee our roasters drink at home.<break time="300ms"/> Light and floral, with jasmine and a bright lemon finish, for {{price}} a bag.',
      weight: 1,
      isControl: true,
      purchaseMultiplier: 1,
    },
    {
      key: 'b',
      name: 'Tasting promise',
      template:
        'Imagine jasmine and sweet lemon in your first cup tomorrow morning: that is {{product}}, our most reordered coffee, at {{price}} a bag.',
      weight: 1,
      isControl: false,
      purchaseMultiplier: 2,
    },
    {
      key: 'c',
      name: 'Limited stock',
      template: 'Only a few bags of {{product}} are left this season. Order now for {{price}}.',
      weight: 1,
      isControl: false,
      purchaseMultiplier: 0.5,
      stopAfterPitch: 0.4,
    },
  ],
};

export function parseSimulatorConfig(input: unknown): SimulatorConfig {
  return simulatorConfigSchema.parse(input);
}

/** The true purchase probability and stop probability after hearing a variant (undefined: no experiment). */
export function truthFor(
  config: SimulatorConfig,
  variantKey: string | undefined,
): { purchase: number; stopAfterPitch: number } {
  const variant = config.experiment?.variants.find((v) => v.key === variantKey);
  return {
    purchase: Math.min(1, config.basePurchase * (variant?.purchaseMultiplier ?? 1)),
    stopAfterPitch: variant?.stopAfterPitch ?? config.baseStopAfterPitch,
  };
}
