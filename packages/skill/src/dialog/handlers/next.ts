import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { speakListing } from '../listing';
import { ask } from '../respond';
import { readSession } from '../session';

export const nextHandler: DialogHandler = {
  name: 'Next',
  intents: ['AMAZON.NextIntent'],
  async handle(input, turn) {
    const { listing } = readSession(input);
    if (!listing)
      return ask(input, text("That's everything I was listing."), text('What would you like to do next?'));
    return speakListing(input, listing, await turn.catalog(), turn.locale);
  },
};
