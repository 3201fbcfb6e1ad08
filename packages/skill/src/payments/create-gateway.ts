import { randomBytes } from 'node:crypto';
import type { Logger } from '@pitchline/core';
import type { PaymentGateway } from './gateway';
import { type DeliverWebhook, SimulatedGateway } from './simulated-gateway';
import { StripeGateway, type StripeGatewayConfig } from './stripe-gateway';

/** What PAYMENTS=stripe | simulated means, once the server's env file has validated it. */
export type PaymentsConfig =
  | ({ mode: 'stripe' } & StripeGatewayConfig)
  | {
      mode: 'simulated';
      /** The same secret the webhook app verifies with (see newSimulatedWebhookSecret). */
      webhookSecret: string;
      publicUrl: string;
      /** Hands the signed body to the webhook app, e.g. `(raw, sig) => webhookApp.request('/', …)`. */
      deliver: DeliverWebhook;
      logger?: Logger;
    };

export function createPaymentGateway(config: PaymentsConfig): PaymentGateway {
  if (config.mode === 'stripe') {
    const { mode: _mode, ...stripe } = config;
    return new StripeGateway(stripe);
  }
  return new SimulatedGateway({
    webhookSecret: config.webhookSecret,
    publicUrl: config.publicUrl,
    deliver: config.deliver,
    ...(config.logger ? { logger: config.logger } : {}),
  });
}

/**
 * Simulated mode signs and verifies its own webhooks: a fresh secret per process is enough, since
 * both ends live in it, and means no fixed secret ever ships in the code.
 */
export function newSimulatedWebhookSecret(): string {
  return `whsec_sim_${randomBytes(24).toString('base64url')}`;
}
