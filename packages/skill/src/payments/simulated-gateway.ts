import Stripe from 'stripe';
import {
  attributionMetadata,
  type ChargeOutcome,
  type CheckoutLink,
  type CheckoutLinkRequest,
  checkoutIdempotencyKey,
  type OffSessionChargeRequest,
  type PaymentGateway,
} from './gateway';
import { type StripeEventObject, StripeTestMode, type TestModeResponse } from './stripe-test-mode';

/** Hands a signed webhook to our own endpoint; the server wires it to the webhook app. */
export type DeliverWebhook = (rawBody: string, signatureHeader: string) => Promise<{ status: number }>;

export interface SimulatedGatewayConfig {
  /** Signs deliveries, exactly as Stripe would with the endpoint's secret. */
  webhookSecret: string;
  deliver: DeliverWebhook;
  /** Base of our own pages; Checkout links point at `${publicUrl}/pay/simulated/<session id>`. */
  publicUrl: string;
  logger?: { warn: (obj: object, msg: string) => void };
  /** Delivery attempts per event before giving up (Stripe itself retries for days). */
  maxDeliveryAttempts?: number;
  retryDelayMs?: number;
}

/**
 * PAYMENTS=simulated: no network. Behaves like Stripe's test mode by test PaymentMethod
 * (pm_card_visa succeeds, pm_card_chargeDeclined declines, pm_card_authenticationRequired needs
 * the shopper) and delivers signed webhooks to our own endpoint after the API call returns, as
 * Stripe does, so the webhook path that marks orders paid runs in the embedded mode too.
 */
export class SimulatedGateway implements PaymentGateway {
  readonly mode = 'simulated' as const;
  readonly engine: StripeTestMode;
  private queue: Promise<void> = Promise.resolve();
  private readonly config: SimulatedGatewayConfig;

  constructor(config: SimulatedGatewayConfig) {
    this.config = config;
    const base = config.publicUrl.replace(/\/+$/, '');
    this.engine = new StripeTestMode({
      checkoutUrl: (id) => `${base}/pay/simulated/${encodeURIComponent(id)}`,
      // Events are delivered, not kept: a server in simulated mode runs for weeks.
      retainEvents: false,
    });
    this.engine.onEvent((event) => this.enqueue(event));
  }

  async chargeOffSession(request: OffSessionChargeRequest): Promise<ChargeOutcome> {
    const response = this.engine.createPaymentIntent(
      {
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        customer: request.customerId,
        payment_method: request.paymentMethodId,
        off_session: true,
        confirm: true,
        ...(request.description ? { description: request.description } : {}),
        metadata: attributionMetadata(request.attribution),
      },
      request.orderId,
    );
    const body = response.body as SimPaymentIntent | { error: SimError };
    if (response.status === 200) {
      const pi = body as SimPaymentIntent;
      if (pi.status === 'succeeded') return { status: 'succeeded', paymentIntentId: pi.id };
      return { status: 'processing', paymentIntentId: pi.id };
    }
    const error = (body as { error: SimError }).error;
    if (response.status === 402) {
      const piId = error.payment_intent?.id;
      if (error.code === 'authentication_required') {
        return { status: 'requires_action', paymentIntentId: piId, code: error.code };
      }
      return {
        status: 'declined',
        paymentIntentId: piId,
        code: error.code ?? 'card_declined',
        declineCode: error.decline_code,
      };
    }
    throw new Error(`simulated Stripe refused the charge (${response.status}): ${error.message}`);
  }

  async createCheckoutLink(request: CheckoutLinkRequest): Promise<CheckoutLink> {
    const metadata = attributionMetadata(request.attribution);
    const response = this.engine.createCheckoutSession(
      {
        mode: 'payment',
        client_reference_id: request.orderId,
        ...(request.customerId ? { customer: request.customerId } : {}),
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        metadata,
        payment_intent_metadata: metadata,
        line_items: request.lineItems.map((li) => ({
          name: li.name,
          quantity: li.quantity,
          unit_amount: li.unitAmount,
          currency: request.currency.toLowerCase(),
        })),
      },
      checkoutIdempotencyKey(request.orderId),
    );
    const session = okBody<{ id: string; url: string }>(response);
    return { sessionId: session.id, url: session.url };
  }

  /** What the shopper does on our simulated Checkout page: pay (pm_card_visa by default). */
  completeCheckout(sessionId: string, paymentMethod = 'pm_card_visa'): void {
    okBody(this.engine.completeCheckoutSession(sessionId, paymentMethod));
  }

  /** A merchant refund from the (simulated) Stripe dashboard; `amount` omitted refunds the rest. */
  refund(paymentIntentId: string, amount?: number): void {
    okBody(
      this.engine.createRefund({
        payment_intent: paymentIntentId,
        ...(amount !== undefined ? { amount } : {}),
      }),
    );
  }

  /** Resolves once every webhook emitted so far has been delivered (or given up on). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(event: StripeEventObject): void {
    // Serial and after the current call returns: Stripe sends webhooks asynchronously, in order here.
    this.queue = this.queue.then(() => this.deliverWithRetries(event));
  }

  private async deliverWithRetries(event: StripeEventObject): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    const attempts = this.config.maxDeliveryAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.config.webhookSecret });
      try {
        const { status } = await this.config.deliver(payload, header);
        if (status >= 200 && status < 300) return;
        this.config.logger?.warn({ eventId: event.id, type: event.type, status, attempt }, 'webhook refused');
      } catch (err) {
        this.config.logger?.warn({ eventId: event.id, type: event.type, err, attempt }, 'webhook failed');
      }
      if (attempt < attempts) await sleep((this.config.retryDelayMs ?? 100) * attempt);
    }
  }
}

interface SimPaymentIntent {
  id: string;
  status: string;
}

interface SimError {
  code?: string;
  decline_code?: string;
  message: string;
  payment_intent?: { id: string };
}

function okBody<T>(response: TestModeResponse): T {
  if (response.status !== 200) {
    const message = (response.body as { error?: { message?: string } }).error?.message;
    throw new Error(`simulated Stripe: ${message ?? `HTTP ${response.status}`}`);
  }
  return response.body as T;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
