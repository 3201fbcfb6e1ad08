import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

export const helpHandler: DialogHandler = {
  name: 'Help',
  intents: ['AMAZON.HelpIntent'],
  handle(input) {
    return ask(
      input,
      text(
        'You can say browse to hear our categories, search for a product by name, ask about a product, ' +
          'add or remove items, review your cart, check out, or ask for your order status.',
      ),
      text('What would you like to do?'),
      { cardTitle: 'Help' },
    );
  },
};
