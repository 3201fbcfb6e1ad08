import type { PlaceOrderInput, PlaceOrderResult } from '../../payments/place-order';

/**
 * What the dialog needs of payments: placing a confirmed order. app.ts binds placeOrder to the
 * gateway, database and event sink once, so handlers see one function.
 */
export interface CheckoutPayments {
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult>;
}
