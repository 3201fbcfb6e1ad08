import { SSML_MAX_CHARS } from '@pitchline/core';
import type { ResponseEnvelope, ui } from 'ask-sdk-model';
import type { SkillLogger } from '../recording/logger';
import type { SkillMetrics } from '../recording/metrics';

/** Alexa rejects a response over 24 KB; the shopper would hear "problem with the skill's response". */
export const RESPONSE_MAX_BYTES = 24 * 1024;

const TOO_LONG = '<speak>Sorry, that is too much to read out at once. Please ask for a little less.</speak>';

export function responseBytes(envelope: ResponseEnvelope): number {
  return Buffer.byteLength(JSON.stringify(envelope), 'utf8');
}

function ssmlLength(speech: ui.OutputSpeech | undefined): number {
  return speech?.type === 'SSML' ? speech.ssml.length : 0;
}

/**
 * The last line of defence for Alexa's limits. Handlers are written to stay well inside them
 * (paged lists, clipped names); this only runs its fixes when something slipped through, cheapest
 * loss first: the card, the Repeat copy in session attributes, then the dynamic-entities directive.
 */
export function enforceResponseLimits(
  envelope: ResponseEnvelope,
  metrics: SkillMetrics,
  logger: SkillLogger,
): ResponseEnvelope {
  const response = envelope.response;
  let trimmed = false;
  if (ssmlLength(response.outputSpeech) > SSML_MAX_CHARS) {
    response.outputSpeech = { type: 'SSML', ssml: TOO_LONG };
    trimmed = true;
  }
  if (ssmlLength(response.reprompt?.outputSpeech) > SSML_MAX_CHARS) {
    response.reprompt = { outputSpeech: { type: 'SSML', ssml: TOO_LONG } };
    trimmed = true;
  }
  const steps: Array<() => void> = [
    () => {
      if (response.card?.type === 'Simple' || response.card?.type === 'Standard') delete response.card;
    },
    () => {
      if (envelope.sessionAttributes) delete envelope.sessionAttributes.last;
    },
    () => {
      response.directives = response.directives?.filter((d) => d.type !== 'Dialog.UpdateDynamicEntities');
    },
  ];
  for (const step of steps) {
    if (responseBytes(envelope) <= RESPONSE_MAX_BYTES) break;
    step();
    trimmed = true;
  }
  if (trimmed) {
    metrics.responsesTrimmed++;
    logger.warn({ bytes: responseBytes(envelope) }, 'response trimmed to fit Alexa limits');
  }
  return envelope;
}
