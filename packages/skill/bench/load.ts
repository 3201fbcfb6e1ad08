import { ssmlToPlainText } from '@pitchline/core';
import type { ResponseEnvelope } from 'ask-sdk-model';
import autocannon from 'autocannon';
import type { PoolRequest } from './pool';

export interface LoadOptions {
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  durationS: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses by status code, to show what went wrong. */
  statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/**
 * autocannon against POST /alexa with the pool. Every connection walks the whole pool, each from its
 * own offset, so concurrent requests are different shoppers and kinds. Latencies are taken from each
 * response's own timer (autocannon's histogram rounds to whole milliseconds).
 */
export async function runLoad(port: number, pool: readonly PoolRequest[], options: LoadOptions) {
  const requests = pool.map((r) => ({
    method: 'POST' as const,
    path: '/alexa',
    headers: r.headers,
    body: r.body,
  }));
  let nextOffset = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${port}`,
      connections: options.connections,
      pipelining: 1,
      duration: options.durationS,
      timeout: 10,
      requests,
      setupClient: (client) => {
        const offset = (nextOffset++ * Math.floor(requests.length / options.connections)) % requests.length;
        client.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
      },
    },
    () => {},
  );
  instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    latencies.push(responseTime);
  });
  const result = await new Promise<autocannon.Result>((resolve) => instance.once('done', resolve));
  const sorted = Float64Array.from(latencies).sort();
  const ok = result['2xx'];
  return {
    requests: latencies.length,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    reqPerSec: ok / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    statuses,
  } satisfies LoadResult;
}

function spokenText(response: ResponseEnvelope): string {
  const said = (o: { type?: string; ssml?: string; text?: string } | undefined) =>
    o?.type === 'SSML' ? ssmlToPlainText(o.ssml ?? '') : (o?.text ?? '');
  return `${said(response.response.outputSpeech)} ${said(response.response.reprompt?.outputSpeech)}`;
}

/**
 * Sends every pool request once (a few at a time) and checks each answer: 200, and, for servers
 * that run the Pitchline dialog, that it said what that kind of turn should say. Doubles as warm-up.
 */
export async function checkPool(
  port: number,
  pool: readonly PoolRequest[],
  options: { checkSpeech: boolean },
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pool.length) {
      const request = pool[next++] as PoolRequest;
      const res = await fetch(`http://127.0.0.1:${port}/alexa`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      const text = await res.text();
      if (res.status !== 200) {
        failures.push(`${request.kind}: HTTP ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      if (!options.checkSpeech) continue;
      const said = spokenText(JSON.parse(text) as ResponseEnvelope);
      if (!request.expect.test(said))
        failures.push(`${request.kind}: expected ${request.expect}, heard "${said}"`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return failures;
}

/**
 * A body changed after signing must be refused: proves the server under test really verifies. Pitchline
 * answers 400 bad_signature; the express adapter answers 400 with its verifier's message.
 */
export async function checkRejectsTampered(
  port: number,
  request: PoolRequest,
  target: 'pitchline' | 'express-verified',
): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/alexa`, {
    method: 'POST',
    headers: request.headers,
    body: request.body.replace('"version":"1.0"', '"version":"1.1"'),
  });
  const text = await res.text();
  const refused =
    res.status === 400 &&
    (target === 'pitchline' ? text.includes('bad_signature') : /signature does not match/.test(text));
  return refused
    ? undefined
    : `a tampered body was answered ${res.status} ${text.slice(0, 200)}, not refused`;
}
