import { text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { DialogDeps } from '../handler';
import { ask } from '../respond';
import { turnOf } from '../turn';

/** Any handler that throws lands here: the shopper hears an apology, the turn records the error. */
export function handleDialogError(input: HandlerInput, error: Error, deps: DialogDeps): Response {
  const turn = turnOf(input);
  turn.error = `${error.name}: ${error.message}`.slice(0, 500);
  deps.metrics.dialogErrors++;
  deps.logger.error(
    { err: error, requestId: input.requestEnvelope.request.requestId },
    'dialog handler failed',
  );
  // A SessionEndedRequest (or any request without a session) must not carry speech.
  if (!input.requestEnvelope.session || input.requestEnvelope.request.type === 'SessionEndedRequest') {
    return input.responseBuilder.getResponse();
  }
  return ask(
    input,
    text('Sorry, something went wrong on my side.'),
    text('Please try that again, or ask for something else.'),
  );
}
