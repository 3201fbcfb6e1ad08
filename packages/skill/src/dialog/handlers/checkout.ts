import { startCheckout } from '../checkout/flow';
import type { DialogHandler } from '../handler';

export const checkoutHandler: DialogHandler = {
  name: 'Checkout',
  intents: ['CheckoutIntent'],
  handle: (input, turn, deps) => startCheckout(input, turn, deps),
};
