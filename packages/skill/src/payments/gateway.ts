/**
 * The seam between order placement and a payment provider. Two implementations: the official Stripe
 * SDK (stripe-gateway.ts) and an in-process simulation of Stripe's test mode (simulated-gateway.ts).
 * Both report the outcome of a charge attempt; neither marks an order paid: the signed webhook does.
 */

/** What links a payment back to the voice session and the pitches that sold it (Stripe metadata). */
export interface PaymentAttribution {
  orderId: string;
  merchantId: string;
  skillId: string;
  sessionId: string;
  userId: string;
  /** `expKey:variantKey` pairs heard in the session. */
  variants: readonly string[];
}

export interface OffSessionChargeRequest {
  /** Also the idempotency key: a retried confirmation of one order can never make a second charge. */
  orderId: string;
  /** Integer minor units. */
  amount: number;
  /** ISO 4217, upper case (the gateway lower-cases it for Stripe). */
  currency: string;
  customerId: string;
  paymentMethodId: string;
  description?: string;
  attribution: PaymentAttribution;
}

export type ChargeOutcome =
  | { status: 'succeeded'; paymentIntentId: string }
  /** Accepted but not settled yet (some payment methods); the webhook tells the end. */
  | { status: 'processing'; paymentIntentId: string }
  /** The bank wants the shopper present (3DS): only a Checkout link can finish it. */
  | { status: 'requires_action'; paymentIntentId: string | undefined; code: string }
  | {
      status: 'declined';
      paymentIntentId: string | undefined;
      code: string;
      declineCode: string | undefined;
    };

export interface CheckoutLineItem {
  name: string;
  quantity: number;
  /** Integer minor units. */
  unitAmount: number;
}

export interface CheckoutLinkRequest {
  orderId: string;
  currency: string;
  customerId?: string;
  lineItems: readonly CheckoutLineItem[];
  attribution: PaymentAttribution;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutLink {
  sessionId: string;
  url: string;
}

export interface PaymentGateway {
  readonly mode: 'stripe' | 'simulated';
  chargeOffSession(request: OffSessionChargeRequest): Promise<ChargeOutcome>;
  createCheckoutLink(request: CheckoutLinkRequest): Promise<CheckoutLink>;
}

/** Stripe metadata values are strings of at most 500 characters; keys at most 40. */
export function attributionMetadata(attribution: PaymentAttribution): Record<string, string> {
  return {
    order_id: attribution.orderId,
    merchant_id: attribution.merchantId,
    skill_id: attribution.skillId,
    session_id: attribution.sessionId.slice(0, 500),
    user_id: attribution.userId.slice(0, 500),
    variants: truncateVariants(attribution.variants),
  };
}

/** Keeps whole `exp:variant` pairs so a truncated list never carries half a variant key. */
function truncateVariants(variants: readonly string[]): string {
  let out = '';
  for (const v of variants) {
    const next = out === '' ? v : `${out},${v}`;
    if (next.length > 500) break;
    out = next;
  }
  return out;
}

/** Checkout idempotency key: distinct from the charge's (which is the bare order id). */
export function checkoutIdempotencyKey(orderId: string): string {
  return `${orderId}:checkout`;
}
