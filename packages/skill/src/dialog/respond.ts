import { concat, type Ssml, ssmlToPlainText, text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Directive, Response } from 'ask-sdk-model';
import { type SessionData, updateSession } from './session';
import { turnOf } from './turn';

export interface Reply {
  /** SSML fragment; the response builder wraps it in <speak>. */
  speech: Ssml;
  /** Spoken when the shopper says nothing; a generic one is used if the session stays open without it. */
  reprompt?: Ssml;
  end?: boolean;
  cardTitle?: string;
  /**
   * Send the card to the Alexa app on every device, not only where there is a screen: for what the
   * shopper is told to find there (an order's confirmation, a payment link).
   */
  appCard?: boolean;
  /** Added to the card after the speech, e.g. the payment link itself. */
  cardExtra?: string;
  /** Account linking is required: send the LinkAccount card to the Alexa app. */
  linkAccount?: boolean;
  directives?: Directive[];
  /** Repeat re-speaks the last response and must not overwrite it; everything else does. */
  remember?: boolean;
}

export const DEFAULT_REPROMPT: Ssml = text(
  'What would you like to do? You can browse, search, or review your cart.',
);
const CARD_MAX_CHARS = 1500;

/**
 * Builds the ask-sdk response from a Reply. Centralised so every answer keeps the rules: a reprompt
 * whenever the session stays open, a card only where there is a screen (or where the shopper is sent to the Alexa app for it), and the last response kept
 * for Repeat and for the exit point of session_end.
 */
export function respond(input: HandlerInput, reply: Reply): Response {
  const turn = turnOf(input);
  const builder = input.responseBuilder.speak(reply.speech);
  const end = reply.end ?? false;
  const reprompt = end ? undefined : (reply.reprompt ?? DEFAULT_REPROMPT);
  if (reprompt) builder.reprompt(reprompt);
  if (reply.linkAccount) builder.withLinkAccountCard();
  else if (turn.hasScreen || reply.appCard) {
    const spoken = ssmlToPlainText(`<speak>${reply.speech}</speak>`);
    const content = (reply.cardExtra ? `${spoken}\n\n${reply.cardExtra}` : spoken).slice(0, CARD_MAX_CHARS);
    builder.withSimpleCard(reply.cardTitle ?? 'Shopping', content);
  }
  for (const directive of reply.directives ?? []) builder.addDirective(directive);
  builder.withShouldEndSession(end);
  if (reply.remember !== false && input.requestEnvelope.session) {
    updateSession(input, (data) => {
      // Kept exactly as sent (with <speak>), so session_end's last_prompt matches the turn's SSML.
      // Built without object spread, which V8 makes several µs dearer on this every-turn path.
      const last: NonNullable<SessionData['last']> = { speech: `<speak>${reply.speech}</speak>` };
      if (reprompt) last.reprompt = `<speak>${reprompt}</speak>`;
      data.last = last;
    });
  }
  return builder.getResponse();
}

/** A question's speech with its question: the reprompt repeats just the question. */
export function ask(
  input: HandlerInput,
  statement: Ssml,
  question: Ssml,
  extra: Omit<Reply, 'speech' | 'reprompt'> = {},
) {
  const speech = statement === '' ? question : concat(statement, text(' '), question);
  // Object.assign, not spread: the same copy at a fraction of the cost on this every-turn path.
  const reply: Reply = Object.assign({}, extra) as Reply;
  reply.speech = speech;
  reply.reprompt = question;
  return respond(input, reply);
}
