export {
  gatewayForMode,
  type MerchantPaymentMode,
  type PaymentGateways,
  PaymentModeUnavailableError,
} from './choose-gateway';
export { createPaymentGateway, newSimulatedWebhookSecret, type PaymentsConfig } from './create-gateway';
export { deterministicEventId } from './event-id';
export {
  attributionMetadata,
  type ChargeOutcome,
  type CheckoutLineItem,
  type CheckoutLink,
  type CheckoutLinkRequest,
  checkoutIdempotencyKey,
  type OffSessionChargeRequest,
  type PaymentAttribution,
  type PaymentGateway,
} from './gateway';
export {
  hashAccessToken,
  type LinkCustomerInput,
  resolveLinkedCustomer,
  saveLinkedCustomer,
} from './linked-customer';
export {
  OrderInputError,
  type PlaceOrderDeps,
  type PlaceOrderInput,
  type PlaceOrderKind,
  type PlaceOrderResult,
  placeOrder,
  type SendCheckoutLink,
} from './place-order';
export { createSimulatedCheckoutApp } from './simulated-checkout-page';
export { type DeliverWebhook, SimulatedGateway, type SimulatedGatewayConfig } from './simulated-gateway';
export { PaymentOutcomeUnknownError, StripeGateway, type StripeGatewayConfig } from './stripe-gateway';
export { TEST_PAYMENT_METHODS } from './stripe-test-mode';
