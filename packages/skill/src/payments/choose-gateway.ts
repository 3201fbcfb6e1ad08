import type { PaymentGateway } from './gateway';

/** A merchant's payment mode, as the dashboard stores it (merchants.payment_mode). */
export type MerchantPaymentMode = PaymentGateway['mode'];

/** The gateways a server holds: its own (PAYMENTS) and, on a Stripe server, a simulated one beside it. */
export interface PaymentGateways {
  /** The server's gateway: Stripe with PAYMENTS=stripe, the simulation otherwise. */
  gateway: PaymentGateway;
  /** For merchants in simulated mode when `gateway` is Stripe. */
  simulatedGateway?: PaymentGateway;
}

/** The merchant's payment mode cannot be served by this server; nothing was charged or stored. */
export class PaymentModeUnavailableError extends Error {
  override name = 'PaymentModeUnavailableError';
}

/**
 * Which gateway charges a merchant's order. The merchant's mode decides, never the server's alone:
 * a merchant in simulated mode is never charged through Stripe, and a merchant in stripe mode is
 * never "paid" by the simulation (its goods would ship unpaid). When the server cannot do what the
 * mode asks, checkout is refused rather than rerouted. The dashboard refuses the stripe mode on a
 * server without Stripe keys, so that case means the server was reconfigured since.
 */
export function gatewayForMode(mode: MerchantPaymentMode, gateways: PaymentGateways): PaymentGateway {
  if (gateways.gateway.mode === mode) return gateways.gateway;
  if (mode === 'simulated' && gateways.simulatedGateway?.mode === 'simulated')
    return gateways.simulatedGateway;
  throw new PaymentModeUnavailableError(
    mode === 'stripe'
      ? 'the merchant takes real payments (stripe) but this server has no Stripe keys (PAYMENTS=simulated)'
      : 'the merchant is in simulated payment mode but this server has no simulated gateway beside Stripe',
  );
}
