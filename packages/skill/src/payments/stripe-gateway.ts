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

export interface StripeGatewayConfig {
  secretKey: string;
  /** Tests point the SDK at the local fake; production leaves it unset (api.stripe.com). */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** A charge whose result we could not learn (network, Stripe 5xx): the webhook will tell. */
export class PaymentOutcomeUnknownError extends Error {
  override name = 'PaymentOutcomeUnknownError';
}

export class StripeGateway implements PaymentGateway {
  readonly mode = 'stripe' as const;
  readonly stripe: Stripe;

  constructor(config: StripeGatewayConfig) {
    this.stripe = new Stripe(config.secretKey, {
      // The charge runs inside a voice turn, which Alexa abandons after 8 s: two tries of 3 s at most,
      // then the shopper hears "processing" and the webhook settles it. Retries are safe: every POST
      // we make carries an explicit idempotency key.
      maxNetworkRetries: config.maxNetworkRetries ?? 1,
      timeout: config.timeoutMs ?? 3_000,
      ...(config.apiBase
        ? { host: config.apiBase.host, port: config.apiBase.port, protocol: config.apiBase.protocol }
        : {}),
    });
  }

  async chargeOffSession(request: OffSessionChargeRequest): Promise<ChargeOutcome> {
    try {
      const pi = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          customer: request.customerId,
          payment_method: request.paymentMethodId,
          off_session: true,
          confirm: true,
          // Off-session there is nobody to follow a redirect, and no return_url to give one.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          ...(request.description ? { description: request.description } : {}),
          metadata: attributionMetadata(request.attribution),
        },
        { idempotencyKey: request.orderId },
      );
      return outcomeOf(pi);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        const piId = err.payment_intent?.id;
        const code = err.code ?? 'card_declined';
        if (code === 'authentication_required') {
          return { status: 'requires_action', paymentIntentId: piId, code };
        }
        return { status: 'declined', paymentIntentId: piId, code, declineCode: err.decline_code };
      }
      if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError) {
        throw new PaymentOutcomeUnknownError(`Stripe did not answer the charge: ${(err as Error).message}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async createCheckoutLink(request: CheckoutLinkRequest): Promise<CheckoutLink> {
    const metadata = attributionMetadata(request.attribution);
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: request.orderId,
        ...(request.customerId ? { customer: request.customerId } : {}),
        line_items: request.lineItems.map((li) => ({
          quantity: li.quantity,
          price_data: {
            currency: request.currency.toLowerCase(),
            unit_amount: li.unitAmount,
            product_data: { name: li.name },
          },
        })),
        metadata,
        // The PaymentIntent Checkout creates must carry the order too, so its webhooks find it.
        payment_intent_data: { metadata },
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      },
      { idempotencyKey: checkoutIdempotencyKey(request.orderId) },
    );
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
    return { sessionId: session.id, url: session.url };
  }
}

function outcomeOf(pi: Stripe.PaymentIntent): ChargeOutcome {
  switch (pi.status) {
    case 'succeeded':
      return { status: 'succeeded', paymentIntentId: pi.id };
    case 'processing':
      return { status: 'processing', paymentIntentId: pi.id };
    case 'requires_action':
    case 'requires_confirmation':
      return { status: 'requires_action', paymentIntentId: pi.id, code: 'authentication_required' };
    default:
      return {
        status: 'declined',
        paymentIntentId: pi.id,
        code: pi.last_payment_error?.code ?? pi.status,
        declineCode: pi.last_payment_error?.decline_code,
      };
  }
}
