import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedAddress } from './address-policy';
import { SIGNATURE_HEADER, signatureHeader } from './signature';
import { checkWebhookUrl, systemLookup, type WebhookPolicy } from './webhook-url';

/*
 * One signed POST of a delivery's body. The URL is checked again first (a rule saved months ago may
 * now resolve elsewhere), and the socket connects only to an address the policy allows: the request's
 * own DNS lookup goes through the same check, so a name cannot resolve to a public address for the
 * check and to a private one for the connection. Redirects are not followed (a 3xx is a failure): a
 * redirect could point anywhere.
 */

export const REQUEST_TIMEOUT_MS = 10_000;
/** The receiver's body is not read beyond this: only its status matters. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean };

function pinnedLookup(policy: WebhookPolicy): LookupFunction {
  return (hostname, options, callback) => {
    (policy.lookup ?? systemLookup)(hostname).then(
      (addresses) => {
        const allowed = addresses.filter((a) => refusedAddress(a.address, policy) === undefined);
        if (allowed.length !== addresses.length || allowed.length === 0) {
          callback(new Error(`${hostname} resolves to an address this server does not call`), '', 4);
          return;
        }
        const family = typeof options === 'object' ? options.family : undefined;
        const fitting = family ? allowed.filter((a) => a.family === family) : allowed;
        if (typeof options === 'object' && options.all) {
          (callback as unknown as (e: null, all: typeof allowed) => void)(null, fitting);
        } else {
          const first = fitting[0] ?? allowed[0];
          callback(null, first?.address ?? '', first?.family ?? 4);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

/** 408, 429 and 5xx may pass on a retry; other answers mean the receiver refused this message for good. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export async function postSigned(input: {
  url: string;
  body: string;
  secret: string;
  policy: WebhookPolicy;
  headers?: Record<string, string>;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<AttemptResult> {
  const check = await checkWebhookUrl(input.url, input.policy);
  if (!check.ok) return { ok: false, status: null, error: check.reason, retryable: false };
  const url = check.url;
  const timestamp = Math.floor((input.now?.() ?? new Date()).getTime() / 1000);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Pitchline-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(input.secret, input.body, timestamp),
          ...input.headers,
        },
        lookup: pinnedLookup(input.policy),
        timeout: input.timeoutMs ?? REQUEST_TIMEOUT_MS,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const settle = () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ ok: true, status });
          else
            resolve({
              ok: false,
              status,
              error: `the receiver answered HTTP ${status}`,
              retryable: retryableStatus(status),
            });
        };
        response.on('end', settle);
        response.on('close', settle);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within the timeout')));
    request.on('error', (error) =>
      resolve({
        ok: false,
        status: null,
        error: `could not reach the receiver: ${error.message}`,
        retryable: true,
      }),
    );
    request.end(input.body);
  });
}
