import { text } from '@pitchline/core';
import { declineCheckout } from '../checkout/flow';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

export const noHandler: DialogHandler = {
  name: 'No',
  intents: ['AMAZON.NoIntent'],
  handle(input, turn, deps) {
    const { pending } = turn;
    if (pending?.kind === 'checkout') return declineCheckout(input, turn, deps, pending);
    return ask(
      input,
      text('Okay.'),
      text('What would you like to do? You can browse, search, or review your cart.'),
    );
  },
};
