/*
 * How Stripe's documented test payment methods behave, as our test mode reproduces them.
 */

export type TestCardBehaviour =
  | { outcome: 'succeeds' }
  | { outcome: 'declines'; code: string; declineCode: string; message: string }
  | { outcome: 'requires_authentication' };

/** Stripe's test PaymentMethod ids (https://docs.stripe.com/testing). */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCardBehaviour>> = {
  pm_card_visa: { outcome: 'succeeds' },
  pm_card_mastercard: { outcome: 'succeeds' },
  pm_card_amex: { outcome: 'succeeds' },
  pm_card_chargeDeclined: {
    outcome: 'declines',
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: 'Your card was declined.',
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    outcome: 'declines',
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  pm_card_chargeDeclinedExpiredCard: {
    outcome: 'declines',
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
  },
  pm_card_authenticationRequired: { outcome: 'requires_authentication' },
};
