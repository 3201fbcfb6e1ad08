import { text } from '@pitchline/core';
import { recordDecline } from '../checkout/flow';
import type { DialogHandler } from '../handler';
import { respond } from '../respond';
import { readSession } from '../session';

/** Stop and Cancel both leave the skill; leaving at the checkout question declines that order. */
export const stopHandler: DialogHandler = {
  name: 'Stop',
  intents: ['AMAZON.StopIntent', 'AMAZON.CancelIntent'],
  async handle(input, turn, deps) {
    const session = readSession(input);
    if (turn.pending?.kind === 'checkout') await recordDecline(input, turn, deps, turn.pending);
    // The exit point is what the shopper heard before deciding to leave, not our goodbye.
    turn.sessionEnd = { reason: 'user_stop', ...(session.last ? { lastPrompt: session.last.speech } : {}) };
    return respond(input, { speech: text('Goodbye, and thanks for visiting.'), end: true });
  },
};
