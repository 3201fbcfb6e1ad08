/*
 * The Stripe request and response shapes our test mode speaks (the subset of fields Pitchline reads
 * and sends), so the simulated gateway exercises the same parsing code as production.
 */

export interface TestModeResponse {
  status: number;
  body: unknown;
  /** True when an idempotency key replayed a saved response, as Stripe's Idempotent-Replayed header. */
  replayed?: boolean;
}

export interface StripeEventObject {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer?: string;
  payment_method?: string;
  off_session?: boolean;
  confirm?: boolean;
  description?: string;
  metadata?: Record<string, string>;
}

export interface CheckoutSessionInput {
  mode?: string;
  customer?: string;
  client_reference_id?: string;
  success_url?: string;
  cancel_url?: string;
  metadata?: Record<string, string>;
  payment_intent_metadata?: Record<string, string>;
  line_items: { name: string; quantity: number; unit_amount: number; currency: string }[];
}

export interface RefundInput {
  payment_intent: string;
  amount?: number;
}
