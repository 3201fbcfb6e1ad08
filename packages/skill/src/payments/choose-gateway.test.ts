import { describe, expect, it } from 'vitest';
import { gatewayForMode, PaymentModeUnavailableError } from './choose-gateway';
import type { PaymentGateway } from './gateway';

const gateway = (mode: PaymentGateway['mode']): PaymentGateway => ({
  mode,
  chargeOffSession: () => Promise.reject(new Error('not in this test')),
  createCheckoutLink: () => Promise.reject(new Error('not in this test')),
});

describe('gatewayForMode', () => {
  const stripe = gateway('stripe');
  const simulated = gateway('simulated');

  it('serves each mode on a Stripe server with its simulated gateway beside it', () => {
    const server = { gateway: stripe, simulatedGateway: simulated };
    expect(gatewayForMode('stripe', server)).toBe(stripe);
    expect(gatewayForMode('simulated', server)).toBe(simulated);
  });

  it('never charges a simulated merchant through Stripe, even without a simulated gateway', () => {
    expect(() => gatewayForMode('simulated', { gateway: stripe })).toThrow(PaymentModeUnavailableError);
    // A gateway passed in the simulated slot that is really Stripe is not taken either.
    expect(() =>
      gatewayForMode('simulated', { gateway: stripe, simulatedGateway: gateway('stripe') }),
    ).toThrow(PaymentModeUnavailableError);
  });

  it('never "pays" a stripe merchant through the simulation on a server without Stripe', () => {
    expect(gatewayForMode('simulated', { gateway: simulated })).toBe(simulated);
    expect(() => gatewayForMode('stripe', { gateway: simulated, simulatedGateway: simulated })).toThrow(
      /no Stripe keys/,
    );
  });
});
