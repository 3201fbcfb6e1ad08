import type { SESSION_OUTCOMES } from '../../lib/analytics';

/** How the session search names each outcome, in its filter and in its results. */
export const OUTCOME_LABELS: Record<(typeof SESSION_OUTCOMES)[number], string> = {
  paid: 'Paid',
  'ordered-not-paid': 'Ordered, not paid',
  'cart-abandoned': 'Cart abandoned',
  'no-cart': 'No cart',
};

/** Alexa session ids share a long prefix; the tail tells them apart (the full id is the link's title). */
export function shortId(id: string): string {
  const tail = id.replace(/^amzn1\.echo-api\.session\./, '');
  return tail.length > 18 ? `…${tail.slice(-12)}` : tail;
}
