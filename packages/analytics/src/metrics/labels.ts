/**
 * Intents in words, for every intent of the skill's interaction model (packages/voice-model) and the
 * Amazon built-ins it uses; the dashboard shows these, never `AddToCartIntent`.
 */
export const INTENT_LABELS: Readonly<Record<string, string>> = {
  AddToCartIntent: 'Add to cart',
  RemoveFromCartIntent: 'Remove from cart',
  ReviewCartIntent: 'Review the cart',
  CheckoutIntent: 'Check out',
  BrowseCatalogIntent: 'Browse the catalog',
  SearchProductIntent: 'Search for a product',
  ProductDetailsIntent: 'Ask about a product',
  OrderStatusIntent: 'Ask about an order',
  'AMAZON.YesIntent': 'Yes',
  'AMAZON.NoIntent': 'No',
  'AMAZON.HelpIntent': 'Ask for help',
  'AMAZON.StopIntent': 'Stop',
  'AMAZON.CancelIntent': 'Cancel',
  'AMAZON.FallbackIntent': 'Not understood',
  'AMAZON.RepeatIntent': 'Repeat that',
  'AMAZON.NextIntent': 'Next',
  'AMAZON.NavigateHomeIntent': 'Go home',
};

/**
 * An intent in words: its label, or for an intent added since, its name split into words
 * ("GiftWrapIntent" → "Gift wrap"), so a new intent never shows as machine text.
 */
export function intentLabel(intent: string): string {
  const known = INTENT_LABELS[intent];
  if (known) return known;
  const bare = intent.replace(/^AMAZON\./, '').replace(/Intent$/, '');
  const words = bare
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]?.toUpperCase() + words.slice(1) : intent;
}

/** How a session ended, in words (exit points' reasons). */
export const END_REASON_LABELS: Readonly<Record<string, string>> = {
  user_stop: 'The shopper said stop',
  user_initiated: 'The shopper left',
  exceeded_max_reprompts: 'No answer after reprompts',
  completed: 'Finished',
  error: 'An error ended it',
  no_end_recorded: 'No end recorded',
};
