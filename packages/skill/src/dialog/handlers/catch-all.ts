import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { ask } from '../respond';

/**
 * Last in line: an intent the model gained before this code did, or a request type we do not
 * handle (a Connections.Response, a Display event). Answered politely instead of with an error.
 */
export const catchAllHandler: DialogHandler = {
  name: 'CatchAll',
  handle(input) {
    if (!input.requestEnvelope.session) return input.responseBuilder.getResponse();
    return ask(
      input,
      text("Sorry, I can't help with that here."),
      text('You can browse, search, or review your cart.'),
    );
  },
};
