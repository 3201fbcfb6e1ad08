import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

export const fallbackHandler: DialogHandler = {
  name: 'Fallback',
  intents: ['AMAZON.FallbackIntent'],
  handle(input) {
    return ask(
      input,
      text("Sorry, I didn't get that."),
      text('You can browse, search for a product, review your cart, or check out.'),
    );
  },
};
