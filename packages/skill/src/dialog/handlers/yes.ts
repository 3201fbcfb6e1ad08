import { text } from '@pitchline/core';
import { addProduct } from '../cart-actions';
import { confirmCheckout, startCheckout } from '../checkout/flow';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

/** Yes means whatever the last question asked: add the pitched product, check out, or place the order. */
export const yesHandler: DialogHandler = {
  name: 'Yes',
  intents: ['AMAZON.YesIntent'],
  async handle(input, turn, deps) {
    const { pending } = turn;
    switch (pending?.kind) {
      case 'checkout':
        return confirmCheckout(input, turn, deps, pending);
      case 'offer_checkout':
        return startCheckout(input, turn, deps);
      case 'add': {
        const catalog = await turn.catalog();
        const product = catalog.products.find((p) => p.id === pending.productId);
        if (product) return addProduct(input, turn, catalog, product, 1);
        break;
      }
    }
    return ask(
      input,
      text("I'm not sure what you're agreeing to."),
      text('You can browse, search, or review your cart.'),
    );
  },
};
