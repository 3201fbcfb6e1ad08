import { concat, text } from '@pitchline/core';
import { priceCart } from '../checkout/priced-cart';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';
import { readSession, updateSession } from '../session';
import { fitList, LIST_BUDGET_CHARS, money, price, productName } from '../speech';

export const reviewCartHandler: DialogHandler = {
  name: 'ReviewCart',
  intents: ['ReviewCartIntent'],
  async handle(input, turn) {
    const session = readSession(input);
    if (session.cart.length === 0) {
      return ask(input, text('Your cart is empty.'), text('Would you like to browse our catalog?'));
    }
    const priced = priceCart(session.cart, await turn.catalog());
    updateSession(input, (d) => {
      d.pending = { kind: 'offer_checkout' };
      // The cart read out is the list "remove the second one" counts in.
      d.shown = priced.lines.map((l) => l.product.id);
      d.shownCategories = undefined;
    });
    const lines = priced.lines.map((l) =>
      concat(
        text(`${l.quantity} `),
        productName(l.product),
        text(' at '),
        price(l.product, turn.locale),
        text(' each'),
      ),
    );
    return ask(
      input,
      concat(
        text('In your cart: '),
        fitList(lines, LIST_BUDGET_CHARS, (left) => text(`and ${left} more`)),
        text('. Your total is '),
        money({ amount: priced.amount, currency: priced.currency }, turn.locale),
        text('.'),
      ),
      text('Would you like to check out?'),
      { cardTitle: 'Your cart' },
    );
  },
};
