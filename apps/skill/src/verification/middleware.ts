import type { RequestEnvelope } from 'ask-sdk-model';
import { createMiddleware } from 'hono/factory';
import { boundDetail } from './reasons';
import type { AlexaVerifier, Rejection, VerifiedSkill } from './verifier';

export interface AlexaVerificationVariables {
  alexaEnvelope: RequestEnvelope;
  alexaSkill: VerifiedSkill;
  /** The exact bytes that were verified; the request stream is consumed by the middleware. */
  alexaRawBody: Uint8Array;
}

export type AlexaVerificationEnv = { Variables: AlexaVerificationVariables };

export interface AlexaMiddlewareOptions {
  verifier: AlexaVerifier;
  /** Records the `request_rejected` event; awaited, and a failure here never turns the 400 into a 500. */
  onRejected?: (rejection: Rejection) => void | Promise<void>;
}

/** Reads at most maxBytes + 1 bytes: null means the body is over the cap (the stream is cancelled). */
async function readBodyCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  return Buffer.concat(chunks, total);
}

/**
 * Verifies an Alexa request on its raw bytes before any handler runs. On success the handler finds
 * `alexaEnvelope`, `alexaSkill` and `alexaRawBody` on the context; on failure it never runs, the
 * caller gets 400 `{ error: reason }` and onRejected records why.
 */
export function alexaVerification(options: AlexaMiddlewareOptions) {
  const { verifier, onRejected } = options;
  const maxBytes = verifier.maxBodyBytes;

  return createMiddleware<AlexaVerificationEnv>(async (c, next) => {
    const fail = async (rejection: Rejection, status: 400 | 415 = 400) => {
      if (onRejected) {
        try {
          await onRejected({ ...rejection, detail: boundDetail(rejection.detail) });
        } catch {
          // Losing one analytics row is better than answering Alexa with a 500 for a bad request.
        }
      }
      return c.json({ error: rejection.reason }, status);
    };

    // Alexa always sends JSON; a form or text body is someone else's client. A missing type is tolerated.
    const contentType = c.req.header('content-type');
    if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
      return fail(
        { reason: 'unsupported_media_type', detail: `Content-Type ${contentType.slice(0, 100)}` },
        415,
      );
    }

    // Content-Length is only a hint (it can lie): it lets us refuse early, the capped read enforces.
    const declared = Number(c.req.header('content-length'));
    if (declared > maxBytes) {
      return fail({ reason: 'body_too_large', detail: `Content-Length ${declared} exceeds ${maxBytes}` });
    }
    const rawBody = await readBodyCapped(c.req.raw.body, maxBytes);
    if (rawBody === null) return fail({ reason: 'body_too_large', detail: `body exceeds ${maxBytes} bytes` });

    const result = await verifier.verify(c.req.raw.headers, rawBody);
    if (!result.ok) {
      const { ok: _ok, ...rejection } = result;
      return fail(rejection);
    }
    c.set('alexaEnvelope', result.envelope);
    c.set('alexaSkill', result.skill);
    c.set('alexaRawBody', rawBody);
    await next();
  });
}
