import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession, type EnvelopeSession } from '@pitchline/alexa-kit/nlu';
import type { EventType } from '@pitchline/core';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';

type RequestEnvelope = ReturnType<EnvelopeSession['launch']>;

/** One request as Alexa sends it: JSON body, signed by the development CA the server trusts. */
export type Send = (envelope: RequestEnvelope) => Promise<Response>;

export function httpSender(baseUrl: string, signer: DevSigner): Send {
  return (envelope) => {
    const body = JSON.stringify(envelope);
    return fetch(`${baseUrl}/alexa`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
    });
  };
}

/** What a shopper's session got back: the requests that were answered 200, and those that were not. */
export type SessionLog = { sessionId: string; answered: string[]; failed: string[] };

/**
 * One request of a script, and the events (besides its `turn`) that answering it must have stored: a
 * test holds an answered request to exactly these, once each. Measured against the demo merchant, which
 * runs no experiment (so no pitch_exposure).
 */
export type Step = { say: (s: EnvelopeSession) => RequestEnvelope; produces: readonly EventType[] };

/** A short browse: launch, look at a product, ask for help, leave. Touches the catalog and the session state. */
export const BROWSE: readonly Step[] = [
  { say: (s) => s.launch(), produces: ['session_start'] },
  { say: (s) => s.intent('ProductDetailsIntent', { product: 'huila' }), produces: [] },
  { say: (s) => s.intent('AMAZON.HelpIntent'), produces: [] },
  { say: (s) => s.intent('AMAZON.StopIntent'), produces: ['session_end'] },
];

/**
 * A purchase with the linked card: the order, then its signed payment webhook. payment_succeeded is not
 * among what the "yes" produces: the webhook is delivered after the answer (as Stripe's are), so it is
 * not yet durable when the shopper hears the confirmation.
 */
export const BUY: readonly Step[] = [
  { say: (s) => s.launch(), produces: ['session_start'] },
  { say: (s) => s.intent('AddToCartIntent', { product: 'grinder', quantity: '1' }), produces: ['cart_add'] },
  { say: (s) => s.intent('CheckoutIntent'), produces: ['checkout_prompt'] },
  { say: (s) => s.intent('AMAZON.YesIntent'), produces: ['order_confirmed', 'session_end'] },
];

/**
 * Plays one session through `send`, step by step, carrying session attributes as Alexa does. A request
 * that fails (connection reset, non-200) ends the session: the shopper gave up.
 */
export async function playSession(
  send: Send,
  steps: readonly Step[],
  accessToken = DEMO_ACCESS_TOKEN,
): Promise<SessionLog> {
  const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken });
  const log: SessionLog = { sessionId: session.sessionId, answered: [], failed: [] };
  for (const step of steps) {
    const envelope = step.say(session);
    const requestId = envelope.request.requestId;
    try {
      const res = await send(envelope);
      if (res.status !== 200) {
        await res.body?.cancel();
        log.failed.push(requestId);
        return log;
      }
      const answer = (await res.json()) as { sessionAttributes?: Record<string, unknown> };
      // Counted only once the whole answer arrived: that is what "received a response" means here.
      log.answered.push(requestId);
      session.setAttributes(answer.sessionAttributes);
    } catch {
      log.failed.push(requestId);
      return log;
    }
  }
  return log;
}
