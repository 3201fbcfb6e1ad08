import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';
import { updateSession } from '../session';

/** Back to the start of the shop; the cart is kept. */
export const navigateHomeHandler: DialogHandler = {
  name: 'NavigateHome',
  intents: ['AMAZON.NavigateHomeIntent'],
  handle(input) {
    updateSession(input, (d) => {
      d.listing = undefined;
      // A fresh start: "the second one" or "it" no longer points at anything heard before.
      d.shown = undefined;
      d.shownCategories = undefined;
      d.lastProductId = undefined;
    });
    return ask(
      input,
      text("You're back at the start."),
      text('You can browse, search, or review your cart.'),
    );
  },
};
