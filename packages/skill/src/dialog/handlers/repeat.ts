import { type Ssml, text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { ask, respond } from '../respond';
import { readSession, updateSession } from '../session';

export const repeatHandler: DialogHandler = {
  name: 'Repeat',
  intents: ['AMAZON.RepeatIntent'],
  handle(input, turn) {
    const { last } = readSession(input);
    // The question is asked again, so the answer to it still counts.
    updateSession(input, (d) => {
      d.pending = turn.pending;
    });
    if (!last) return ask(input, text("There's nothing to repeat yet."), text('What would you like to do?'));
    // Stored from our own validated responses, so it is SSML we produced.
    return respond(input, {
      speech: last.speech as Ssml,
      ...(last.reprompt ? { reprompt: last.reprompt as Ssml } : {}),
      remember: false,
    });
  },
};
