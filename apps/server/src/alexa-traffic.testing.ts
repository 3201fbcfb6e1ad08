import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { DEMO_SKILL_ID } from '@pitchline/db';

/**
 * Shoppers talking to a running server's real POST /alexa, signed by its development CA: each session
 * is a launch, then `fallbacks` requests Alexa could not match (AMAZON.FallbackIntent, as Alexa sends
 * them), then `helps` it could. The skill records every turn through its event log, as in production.
 */
export function alexaTraffic(serverUrl: string, signer: DevSigner) {
  const send = async (envelope: unknown) => {
    const body = JSON.stringify(envelope);
    const res = await fetch(`${serverUrl}/alexa`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
    });
    if (res.status !== 200) throw new Error(`POST /alexa answered ${res.status}: ${await res.text()}`);
  };
  return {
    async shopper(fallbacks: number, helps: number): Promise<void> {
      const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID });
      await send(session.launch());
      for (let i = 0; i < fallbacks; i++) await send(session.intent('AMAZON.FallbackIntent', {}));
      for (let i = 0; i < helps; i++) await send(session.intent('AMAZON.HelpIntent', {}));
    },
  };
}
