import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';

/** POSTs a signed body to an Alexa endpoint: fetch to a running server, or app.request in process. */
export type Post = (body: string, headers: Record<string, string>) => Promise<Response>;

export interface Exchange {
  status: number;
  /** Undefined when the status was not 200 or the body was not JSON. */
  response?: ResponseEnvelope;
}

/** What a device does: serialize, sign with the (development) CA's signing certificate, send. */
export type SendEnvelope = (envelope: RequestEnvelope) => Promise<Exchange>;

export function signedSender(post: Post, signer: DevSigner): SendEnvelope {
  return async (envelope) => {
    const body = JSON.stringify(envelope);
    const res = await post(body, { 'content-type': 'application/json', ...signAlexaRequest(body, signer) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return { status: res.status };
    }
    try {
      return { status: 200, response: (await res.json()) as ResponseEnvelope };
    } catch {
      return { status: 200 };
    }
  };
}

export function fetchPost(endpoint: string): Post {
  return (body, headers) => fetch(endpoint, { method: 'POST', body, headers });
}
