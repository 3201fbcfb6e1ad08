import { IncomingMessage } from 'node:http';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Context } from 'hono';
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
 * True when Node's HTTP/1 parser bounds this body: it never delivers more than a Content-Length
 * declares (further bytes are the next request on the connection, and a message with both
 * Content-Length and Transfer-Encoding is refused), so a body declared within the cap can be read
 * whole. @hono/node-server then reads it straight off the socket; going through `req.raw.body`
 * instead built a web-stream Request per call, ~10 % of a turn's CPU. Anything else (chunked, no
 * length, HTTP/2, a Request built in-process) is read through the capped stream.
 */
function boundedByNodeParser(c: Context, declared: string | undefined): boolean {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return (
    incoming instanceof IncomingMessage &&
    declared !== undefined &&
    /^\d+$/.test(declared) &&
    incoming.headers['transfer-encoding'] === undefined
  );
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

    // Content-Length is only a hint (it can lie): it lets us refuse early, the capped read enforces
    // (or, on Node's HTTP server, the parser does: see boundedByNodeParser).
    const lengthHeader = c.req.header('content-length');
    const declared = Number(lengthHeader);
    if (declared > maxBytes) {
      return fail({ reason: 'body_too_large', detail: `Content-Length ${declared} exceeds ${maxBytes}` });
    }
    const rawBody = boundedByNodeParser(c, lengthHeader)
      ? new Uint8Array(await c.req.raw.arrayBuffer())
      : await readBodyCapped(c.req.raw.body, maxBytes);
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
