import { randomBytes } from 'node:crypto';

/**
 * An in-memory model of Stripe's test mode, just wide enough for Pitchline's payment path:
 * PaymentIntents confirmed off-session, Checkout Sessions, refunds, idempotency keys, and the events
 * Stripe would send for each. Objects and error envelopes have Stripe's real shapes (the subset of
 * fields we read), so the simulated gateway and the fake HTTP server built on it exercise the same
 * parsing code as production. Outcomes follow Stripe's documented test payment methods.
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

type Obj = Record<string, unknown>;

export interface StripeTestModeOptions {
  /** Where a Checkout Session's hosted page lives. */
  checkoutUrl: (sessionId: string) => string;
  apiVersion?: string;
  now?: () => number;
  /** Keep every emitted event in `events` (tests); a long-running simulated server turns it off. */
  retainEvents?: boolean;
}

export class StripeTestMode {
  readonly paymentIntents = new Map<string, Obj>();
  readonly checkoutSessions = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly events: StripeEventObject[] = [];
  private readonly saved = new Map<string, { fingerprint: string; response: TestModeResponse }>();
  private readonly listeners: ((event: StripeEventObject) => void)[] = [];
  private readonly now: () => number;
  private readonly apiVersion: string;

  constructor(private readonly options: StripeTestModeOptions) {
    this.now = options.now ?? Date.now;
    this.apiVersion = options.apiVersion ?? '2026-10-28.endive';
  }

  onEvent(listener: (event: StripeEventObject) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Stripe saves the first response for a key (success or card error alike) and replays it for the
   * same parameters; the same key with other parameters is an idempotency_error and saves nothing.
   */
  idempotent(
    key: string | undefined,
    endpoint: string,
    params: unknown,
    run: () => TestModeResponse,
  ): TestModeResponse {
    if (!key) return run();
    const fingerprint = `${endpoint} ${stableStringify(params)}`;
    const previous = this.saved.get(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        return errorResponse(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { ...previous.response, replayed: true };
    }
    const response = run();
    this.saved.set(key, { fingerprint, response });
    return response;
  }

  createPaymentIntent(input: PaymentIntentInput, idempotencyKey?: string): TestModeResponse {
    return this.idempotent(idempotencyKey, 'POST /v1/payment_intents', input, () =>
      this.doCreatePaymentIntent(input, idempotencyKey),
    );
  }

  retrievePaymentIntent(id: string): TestModeResponse {
    const pi = this.paymentIntents.get(id);
    return pi ? { status: 200, body: clone(pi) } : missing('payment_intent', id);
  }

  createCheckoutSession(input: CheckoutSessionInput, idempotencyKey?: string): TestModeResponse {
    return this.idempotent(idempotencyKey, 'POST /v1/checkout/sessions', input, () => {
      if (input.line_items.length === 0) {
        return errorResponse(400, {
          type: 'invalid_request_error',
          param: 'line_items',
          message: 'Missing required param: line_items.',
        });
      }
      const currency = input.line_items[0]?.currency ?? 'usd';
      const id = newId('cs_test');
      const session: Obj = {
        id,
        object: 'checkout.session',
        amount_total: input.line_items.reduce((sum, li) => sum + li.unit_amount * li.quantity, 0),
        currency,
        client_reference_id: input.client_reference_id ?? null,
        customer: input.customer ?? null,
        created: this.seconds(),
        expires_at: this.seconds() + 24 * 3600,
        livemode: false,
        metadata: input.metadata ?? {},
        mode: input.mode ?? 'payment',
        payment_intent: null,
        payment_status: 'unpaid',
        status: 'open',
        success_url: input.success_url ?? null,
        cancel_url: input.cancel_url ?? null,
        url: this.options.checkoutUrl(id),
      };
      this.checkoutSessions.set(id, session);
      // Not part of Stripe's object: kept beside it for the PaymentIntent the page will create.
      this.sessionPiMetadata.set(id, input.payment_intent_metadata ?? {});
      return { status: 200, body: clone(session) };
    });
  }

  private readonly sessionPiMetadata = new Map<string, Record<string, string>>();

  retrieveCheckoutSession(id: string): TestModeResponse {
    const session = this.checkoutSessions.get(id);
    return session ? { status: 200, body: clone(session) } : missing('checkout.session', id);
  }

  /**
   * What the shopper does on the hosted Checkout page: pay with a test card. On success Stripe sends
   * payment_intent.succeeded and checkout.session.completed, in no guaranteed order.
   */
  completeCheckoutSession(id: string, paymentMethod = 'pm_card_visa'): TestModeResponse {
    const session = this.checkoutSessions.get(id);
    if (!session) return missing('checkout.session', id);
    if (session.status !== 'open') {
      return errorResponse(400, {
        type: 'invalid_request_error',
        message: `This Checkout Session is ${String(session.status)}.`,
      });
    }
    const attempt = this.doCreatePaymentIntent(
      {
        amount: session.amount_total as number,
        currency: session.currency as string,
        customer: (session.customer as string | null) ?? undefined,
        payment_method: paymentMethod,
        confirm: true,
        // The shopper is present on the page, so 3DS is completed there rather than failing.
        off_session: false,
        metadata: this.sessionPiMetadata.get(id) ?? {},
      },
      undefined,
      true,
    );
    if (attempt.status !== 200) return attempt;
    const pi = attempt.body as Obj;
    session.status = 'complete';
    session.payment_status = 'paid';
    session.payment_intent = pi.id;
    this.emit('checkout.session.completed', session, null);
    return { status: 200, body: clone(session) };
  }

  createRefund(input: RefundInput, idempotencyKey?: string): TestModeResponse {
    return this.idempotent(idempotencyKey, 'POST /v1/refunds', input, () => {
      const pi = this.paymentIntents.get(input.payment_intent);
      if (!pi) return missing('payment_intent', input.payment_intent);
      const chargeId = pi.latest_charge as string | null;
      const charge = chargeId ? this.charges.get(chargeId) : undefined;
      if (!charge || pi.status !== 'succeeded') {
        return errorResponse(400, {
          type: 'invalid_request_error',
          code: 'charge_not_refundable',
          message: 'This PaymentIntent does not have a successful charge to refund.',
        });
      }
      const remaining = (charge.amount as number) - (charge.amount_refunded as number);
      const amount = input.amount ?? remaining;
      if (amount <= 0 || amount > remaining) {
        return errorResponse(400, {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          param: 'amount',
          message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
        });
      }
      const refund: Obj = {
        id: newId('re'),
        object: 'refund',
        amount,
        charge: charge.id,
        currency: charge.currency,
        created: this.seconds(),
        metadata: {},
        payment_intent: pi.id,
        status: 'succeeded',
      };
      charge.amount_refunded = (charge.amount_refunded as number) + amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      this.emit('charge.refunded', charge, idempotencyKey ?? null);
      return { status: 200, body: refund };
    });
  }

  private doCreatePaymentIntent(
    input: PaymentIntentInput,
    idempotencyKey: string | undefined,
    shopperPresent = false,
  ): TestModeResponse {
    if (!Number.isInteger(input.amount) || input.amount < 1) {
      return errorResponse(400, {
        type: 'invalid_request_error',
        param: 'amount',
        message: 'This value must be greater than or equal to 1.',
      });
    }
    const behaviour = input.payment_method ? TEST_PAYMENT_METHODS[input.payment_method] : undefined;
    if (input.payment_method && !behaviour) {
      return errorResponse(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'payment_method',
        message: `No such PaymentMethod: '${input.payment_method}'`,
      });
    }
    const id = newId('pi');
    const pi: Obj = {
      id,
      object: 'payment_intent',
      amount: input.amount,
      amount_received: 0,
      currency: input.currency,
      customer: input.customer ?? null,
      created: this.seconds(),
      description: input.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: input.metadata ?? {},
      payment_method: input.payment_method ?? null,
      status: input.payment_method ? 'requires_confirmation' : 'requires_payment_method',
    };
    this.paymentIntents.set(id, pi);
    this.emit('payment_intent.created', pi, idempotencyKey ?? null);
    if (!input.confirm || !behaviour) return { status: 200, body: clone(pi) };

    if (
      behaviour.outcome === 'succeeds' ||
      (behaviour.outcome === 'requires_authentication' && shopperPresent)
    ) {
      const charge: Obj = {
        id: newId('ch'),
        object: 'charge',
        amount: input.amount,
        amount_captured: input.amount,
        amount_refunded: 0,
        currency: input.currency,
        customer: input.customer ?? null,
        created: this.seconds(),
        livemode: false,
        // Charges made by a PaymentIntent carry a copy of its metadata.
        metadata: { ...(input.metadata ?? {}) },
        paid: true,
        payment_intent: id,
        payment_method: input.payment_method,
        refunded: false,
        status: 'succeeded',
      };
      this.charges.set(charge.id as string, charge);
      pi.status = 'succeeded';
      pi.amount_received = input.amount;
      pi.latest_charge = charge.id;
      this.emit('charge.succeeded', charge, idempotencyKey ?? null);
      this.emit('payment_intent.succeeded', pi, idempotencyKey ?? null);
      return { status: 200, body: clone(pi) };
    }

    if (behaviour.outcome === 'requires_authentication' && !input.off_session) {
      // On session, Stripe hands the shopper a 3DS challenge rather than failing.
      pi.status = 'requires_action';
      pi.next_action = { type: 'use_stripe_sdk' };
      this.emit('payment_intent.requires_action', pi, idempotencyKey ?? null);
      return { status: 200, body: clone(pi) };
    }

    const failure =
      behaviour.outcome === 'declines'
        ? { code: behaviour.code, decline_code: behaviour.declineCode, message: behaviour.message }
        : {
            code: 'authentication_required',
            decline_code: 'authentication_required',
            message: 'Your card was declined. This transaction requires authentication.',
          };
    const lastError = {
      type: 'card_error',
      ...failure,
      doc_url: `https://stripe.com/docs/error-codes/${failure.code}`,
      payment_method: { id: input.payment_method, object: 'payment_method', type: 'card' },
    };
    // A failed off-session attempt leaves the intent waiting for a new payment method.
    pi.status = 'requires_payment_method';
    pi.last_payment_error = lastError;
    this.emit('payment_intent.payment_failed', pi, idempotencyKey ?? null);
    return errorResponse(402, { ...lastError, payment_intent: clone(pi) });
  }

  private emit(type: string, object: Obj, idempotencyKey: string | null): void {
    const event: StripeEventObject = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: this.seconds(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: newId('req'), idempotency_key: idempotencyKey },
      type,
    };
    if (this.options.retainEvents ?? true) this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function missing(kind: string, id: string): TestModeResponse {
  return errorResponse(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param: 'id',
    message: `No such ${kind}: '${id}'`,
  });
}

export function errorResponse(status: number, error: Obj): TestModeResponse {
  return { status, body: { error } };
}

/** Key order must not change the fingerprint: Stripe compares parameters, not bytes. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Obj)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
