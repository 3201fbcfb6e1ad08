import type { RequestEnvelope } from 'ask-sdk-model';

/**
 * Alexa's Progressive Response API: while a turn waits on something slow, the skill may speak through
 * `POST {apiEndpoint}/v1/directives` (VoicePlayer.Speak, at most 600 characters, before the final
 * response), authorised by the request's own `apiAccessToken`. It never changes the answer: a failure
 * is reported, never thrown, and the call is bounded so that it cannot eat the turn's time.
 */

/** Where Amazon's Alexa API lives (NA, EU, FE); a production server speaks to nothing else. */
export const AMAZON_API_ENDPOINTS: ReadonlySet<string> = new Set([
  'https://api.amazonalexa.com',
  'https://api.eu.amazonalexa.com',
  'https://api.fe.amazonalexa.com',
]);

export type ProgressiveOutcome = { ok: true } | { ok: false; detail: string };

export interface ProgressiveResponder {
  speak(envelope: RequestEnvelope, speech: string): Promise<ProgressiveOutcome>;
}

export interface ProgressiveResponderOptions {
  /** 'amazon' (production): only Amazon's endpoints; 'any': whatever the request names (tests, fakes). */
  endpoints: 'amazon' | 'any';
  /** How long the directive call may take; Alexa answers it in tens of milliseconds. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const MAX_SPEECH_CHARS = 600;

export function createProgressiveResponder(options: ProgressiveResponderOptions): ProgressiveResponder {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 1_000;
  return {
    async speak(envelope, speech) {
      const system = envelope.context?.System;
      const endpoint = system?.apiEndpoint?.replace(/\/+$/, '');
      const token = system?.apiAccessToken;
      if (!endpoint || !token)
        return { ok: false, detail: 'the request carries no apiEndpoint or apiAccessToken' };
      // The endpoint comes from a signed request, but a token for Amazon's API is sent to it: in
      // production it must be Amazon's, so a misissued or replayed body cannot send it elsewhere.
      if (options.endpoints === 'amazon' && !AMAZON_API_ENDPOINTS.has(endpoint)) {
        return { ok: false, detail: `apiEndpoint ${endpoint.slice(0, 100)} is not Amazon's` };
      }
      if (speech.length > MAX_SPEECH_CHARS) {
        return {
          ok: false,
          detail: `speech of ${speech.length} characters is over Alexa's ${MAX_SPEECH_CHARS}`,
        };
      }
      try {
        const res = await send(`${endpoint}/v1/directives`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            header: { requestId: envelope.request.requestId },
            directive: { type: 'VoicePlayer.Speak', speech },
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Amazon answers 204 No Content; the body of an error says why (e.g. 400 for a late directive).
        if (res.status === 204 || res.status === 200) return { ok: true };
        const body = (await res.text().catch(() => '')).slice(0, 200);
        return { ok: false, detail: `Alexa answered ${res.status} ${body}`.trim() };
      } catch (error) {
        return { ok: false, detail: (error as Error).message.slice(0, 200) };
      }
    },
  };
}
