import type { Logger } from '@pitchline/core';
import { SSML_MAX_CHARS } from '@pitchline/core';
import type { ResponseEnvelope, ui } from 'ask-sdk-model';
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
  logger: Logger,
): ResponseEnvelope {
  return serializeWithinLimits(envelope, metrics, logger).envelope;
}

/**
 * enforceResponseLimits, also handing back the JSON it measured last: that is the body to send, so
 * the response is serialised once rather than once to measure and again to answer.
 */
export function serializeWithinLimits(
  envelope: ResponseEnvelope,
  metrics: SkillMetrics,
  logger: Logger,
): { envelope: ResponseEnvelope; json: string } {
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
  let json: string | undefined;
  for (const step of steps) {
    json = JSON.stringify(envelope);
    if (fits(json)) break;
    step();
    json = undefined;
    trimmed = true;
  }
  // Every step ran: the envelope changed after it was last measured.
  json ??= JSON.stringify(envelope);
  if (trimmed) {
    metrics.responsesTrimmed++;
    logger.warn({ bytes: Buffer.byteLength(json, 'utf8') }, 'response trimmed to fit Alexa limits');
  }
  return { envelope, json };
}

/** A UTF-16 unit is at most 3 UTF-8 bytes, so a short answer fits without counting its bytes. */
function fits(json: string): boolean {
  return json.length * 3 <= RESPONSE_MAX_BYTES || Buffer.byteLength(json, 'utf8') <= RESPONSE_MAX_BYTES;
}
