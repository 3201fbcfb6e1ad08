import type { SessionEndedRequest } from 'ask-sdk-model';
import type { DialogHandler } from '../handler';
import { readSession } from '../session';
import type { SessionEndReason } from '../turn';

const REASONS: Record<string, SessionEndReason> = {
  USER_INITIATED: 'user_initiated',
  EXCEEDED_MAX_REPROMPTS: 'exceeded_max_reprompts',
  ERROR: 'error',
};

/** Alexa closed the session (silence, "exit", an error): no speech is allowed, only bookkeeping. */
export const sessionEndedHandler: DialogHandler = {
  name: 'SessionEnded',
  requestTypes: ['SessionEndedRequest'],
  handle(input, turn, deps) {
    const request = input.requestEnvelope.request as SessionEndedRequest;
    const last = readSession(input).last;
    turn.sessionEnd = {
      reason: REASONS[request.reason ?? ''] ?? 'unknown',
      ...(last ? { lastPrompt: last.speech } : {}),
    };
    if (request.error) {
      turn.error = `${request.error.type}: ${request.error.message}`.slice(0, 500);
      deps.logger.warn({ error: request.error }, 'Alexa ended the session with an error');
    }
    return input.responseBuilder.getResponse();
  },
};
