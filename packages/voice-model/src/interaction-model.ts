import { z } from 'zod';
import enUS from '../skill-package/interactionModels/custom/en-US.json' with { type: 'json' };

/**
 * The Alexa interaction model (skill-package/interactionModels/custom/en-US.json), the file the ASK
 * CLI deploys. It is parsed here so handlers, the text matcher and tests share one source of truth
 * for intent and slot names instead of repeating string literals.
 */

/** Custom intents: one handler file each. */
export const CUSTOM_INTENTS = [
  'BrowseCatalogIntent',
  'SearchProductIntent',
  'ProductDetailsIntent',
  'AddToCartIntent',
  'RemoveFromCartIntent',
  'ReviewCartIntent',
  'CheckoutIntent',
  'OrderStatusIntent',
] as const;
export type CustomIntentName = (typeof CUSTOM_INTENTS)[number];

export const BUILTIN_INTENTS = [
  'AMAZON.YesIntent',
  'AMAZON.NoIntent',
  'AMAZON.HelpIntent',
  'AMAZON.RepeatIntent',
  'AMAZON.StopIntent',
  'AMAZON.CancelIntent',
  'AMAZON.FallbackIntent',
  'AMAZON.NavigateHomeIntent',
  'AMAZON.NextIntent',
] as const;
export type BuiltinIntentName = (typeof BUILTIN_INTENTS)[number];

export const ALL_INTENTS = [...CUSTOM_INTENTS, ...BUILTIN_INTENTS] as const;
export type IntentName = CustomIntentName | BuiltinIntentName;

/** Slot names per custom intent, as the model declares them. */
export const INTENT_SLOTS = {
  BrowseCatalogIntent: ['category'],
  SearchProductIntent: ['query'],
  ProductDetailsIntent: ['product', 'reference'],
  AddToCartIntent: ['product', 'quantity', 'reference'],
  RemoveFromCartIntent: ['product', 'quantity', 'reference'],
  ReviewCartIntent: [],
  CheckoutIntent: [],
  OrderStatusIntent: [],
} as const satisfies Record<CustomIntentName, readonly string[]>;

export const CUSTOM_SLOT_TYPES = ['PRODUCT', 'CATEGORY', 'REFERENCE'] as const;

/**
 * "it", "two of those", "the second one": words that point at what the shopper just heard rather
 * than name a product. They get their own slot type, not PRODUCT values, so Alexa fills `reference`
 * instead of handing a pronoun to catalog matching. AMAZON.Ordinal would cover "second" but not "the
 * last one" nor pronouns, and two slots would double the samples; one custom type with ids does all.
 * Value ids: `focus` (the product in focus), `1`…`10` (a position in the list just read), `last`.
 */
export const REFERENCE_SLOT_TYPE = 'REFERENCE';
export const REFERENCE_FOCUS_ID = 'focus';
export const REFERENCE_LAST_ID = 'last';

const name = z.string().min(1).max(100);

export const modelSlotSchema = z.object({
  name,
  type: name,
  samples: z.array(z.string()).optional(),
});

export const modelIntentSchema = z.object({
  name,
  slots: z.array(modelSlotSchema).optional(),
  samples: z.array(z.string().min(1)).default([]),
});

export const slotTypeValueSchema = z.object({
  id: z.string().optional(),
  name: z.object({ value: z.string().min(1), synonyms: z.array(z.string()).optional() }),
});

export const slotTypeSchema = z.object({ name, values: z.array(slotTypeValueSchema) });

export const interactionModelSchema = z.object({
  interactionModel: z.object({
    languageModel: z.object({
      // Alexa's rules: lower case letters, spaces, apostrophes and periods; at least two words.
      invocationName: z.string().regex(/^[a-z][a-z.' ]*[a-z.]$/, 'invocation name must be lower case words'),
      intents: z.array(modelIntentSchema),
      types: z.array(slotTypeSchema).default([]),
    }),
    dialog: z.unknown().optional(),
    prompts: z.unknown().optional(),
  }),
});
export type InteractionModel = z.infer<typeof interactionModelSchema>;
export type ModelIntent = z.infer<typeof modelIntentSchema>;

export function parseInteractionModel(json: unknown): InteractionModel {
  return interactionModelSchema.parse(json);
}

/** The en-US model, parsed once at import. */
export const interactionModel: InteractionModel = parseInteractionModel(enUS);

export const INVOCATION_NAME = interactionModel.interactionModel.languageModel.invocationName;

export function isCustomIntent(value: string): value is CustomIntentName {
  return (CUSTOM_INTENTS as readonly string[]).includes(value);
}

export function isIntentName(value: string): value is IntentName {
  return (ALL_INTENTS as readonly string[]).includes(value);
}
