import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Downloads the PEM text at an already-validated certificate chain URL; throws on any failure. */
export type CertFetcher = (url: string) => Promise<string>;

export interface CertFetcherOptions {
  /** Whole download, headers and body (default 5 s). */
  timeoutMs?: number;
  /** Amazon's chains are ~5 KB; the cap stops a hostile or broken server from filling memory. */
  maxBytes?: number;
  /**
   * Pre-published chains for `https://s3.amazonaws.com/echo.api/<name>.pem`, by name (`<name>.pem`)
   * or full URL: a pre-seeded download for our development CA, since S3 is unreachable here. Only the
   * download is replaced; the verifier still checks the URL, dates, SAN, trust and signature.
   */
  prepublished?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** A directory of pre-published `<name>.pem` files, read on each (cached) download. */
  prepublishedDir?: string;
  /** Defaults to global fetch; tests inject a counting one. */
  fetch?: typeof globalThis.fetch;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 64 * 1024;
const PREPUBLISHED_PREFIX = 'https://s3.amazonaws.com/echo.api/';
/** One path segment, no traversal: the name becomes a file name under prepublishedDir. */
const PREPUBLISHED_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.pem$/;

export class CertFetchError extends Error {
  override readonly name = 'CertFetchError';
}

function prepublishedName(url: string): string | undefined {
  if (!url.startsWith(PREPUBLISHED_PREFIX)) return undefined;
  const name = url.slice(PREPUBLISHED_PREFIX.length);
  return PREPUBLISHED_NAME.test(name) && !name.includes('..') ? name : undefined;
}

function lookup(
  map: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  key: string,
): string | undefined {
  if (map instanceof Map) return map.get(key);
  return Object.hasOwn(map, key) ? (map as Record<string, string>)[key] : undefined;
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new CertFetchError(`certificate chain exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

export function createCertFetcher(options: CertFetcherOptions = {}): CertFetcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const doFetch = options.fetch ?? globalThis.fetch;
  const { prepublished, prepublishedDir } = options;

  return async (url) => {
    const name = prepublishedName(url);
    if (name !== undefined) {
      const seeded = prepublished && (lookup(prepublished, url) ?? lookup(prepublished, name));
      if (seeded !== undefined) return seeded;
      if (prepublishedDir !== undefined) {
        const text = await readFile(join(prepublishedDir, name), 'utf8').catch(() => undefined);
        if (text !== undefined) {
          if (Buffer.byteLength(text) > maxBytes) {
            throw new CertFetchError(`certificate chain exceeds ${maxBytes} bytes`);
          }
          return text;
        }
      }
    }

    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // Amazon serves the chain directly; following a redirect would fetch from a host we never checked.
      const res = await doFetch(url, { signal, redirect: 'error' });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw new CertFetchError(`HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length'));
      if (declared > maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw new CertFetchError(`certificate chain of ${declared} bytes exceeds ${maxBytes}`);
      }
      if (!res.body) throw new CertFetchError('empty response');
      return await readCapped(res.body, maxBytes);
    } catch (err) {
      if (err instanceof CertFetchError) throw err;
      if (signal.aborted) throw new CertFetchError(`timed out after ${timeoutMs} ms`);
      throw new CertFetchError(`download failed: ${(err as Error).message}`);
    }
  };
}
