import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFetchError, createCertFetcher } from './cert-fetcher';

const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

describe('createCertFetcher', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok') return res.end(PEM);
      if (req.url === '/hang') return; // never answers
      if (req.url === '/slow-body') {
        res.write(PEM.slice(0, 10));
        return; // headers sent, body never ends
      }
      if (req.url === '/big-declared') {
        res.setHeader('content-length', String(100_000));
        return res.end('x'.repeat(100_000));
      }
      if (req.url === '/big-chunked') {
        // No Content-Length: only counting bytes while streaming can stop this.
        for (let i = 0; i < 20; i += 1) res.write('y'.repeat(10_000));
        return res.end();
      }
      if (req.url === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', '/ok');
        return res.end();
      }
      res.statusCode = 404;
      res.end('nope');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'certs-'));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  // A generous timeout except where the timeout is the point: a request on a loaded 2-core CI machine
  // (the first of a process also sets up fetch) once took over 300 ms to answer.
  const fetcher = (timeoutMs = 10_000) => createCertFetcher({ timeoutMs, maxBytes: 50_000 });

  it('downloads a chain', async () => {
    await expect(fetcher()(`${base}/ok`)).resolves.toBe(PEM);
  });

  it('gives up after the timeout, before headers and while the body trickles', async () => {
    const started = Date.now();
    await expect(fetcher(300)(`${base}/hang`)).rejects.toThrow(/timed out after 300 ms/);
    await expect(fetcher(300)(`${base}/slow-body`)).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('caps the size by Content-Length and while streaming', async () => {
    await expect(fetcher()(`${base}/big-declared`)).rejects.toThrow(/100000 bytes exceeds 50000/);
    await expect(fetcher()(`${base}/big-chunked`)).rejects.toThrow(/exceeds 50000 bytes/);
  });

  it('fails on non-200 answers and does not follow redirects', async () => {
    await expect(fetcher()(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
    await expect(fetcher()(`${base}/redirect`)).rejects.toBeInstanceOf(CertFetchError);
    expect(hits.filter((h) => h === '/ok')).toHaveLength(1);
  });

  it('serves pre-published chains by name, URL or directory, and nothing outside echo.api', async () => {
    await writeFile(join(dir, 'from-dir.pem'), 'DIR');
    const calls: string[] = [];
    const f = createCertFetcher({
      prepublished: { 'by-name.pem': 'NAME', 'https://s3.amazonaws.com/echo.api/by-url.pem': 'URL' },
      prepublishedDir: dir,
      fetch: async (input) => {
        calls.push(String(input));
        return new Response('NETWORK');
      },
    });
    await expect(f('https://s3.amazonaws.com/echo.api/by-name.pem')).resolves.toBe('NAME');
    await expect(f('https://s3.amazonaws.com/echo.api/by-url.pem')).resolves.toBe('URL');
    await expect(f('https://s3.amazonaws.com/echo.api/from-dir.pem')).resolves.toBe('DIR');
    expect(calls).toEqual([]);
    // Unknown names, and names that could escape the directory, go to the network as usual.
    await expect(f('https://s3.amazonaws.com/echo.api/absent.pem')).resolves.toBe('NETWORK');
    await expect(f('https://s3.amazonaws.com/echo.api/..%2f..%2fetc%2fpasswd.pem')).resolves.toBe('NETWORK');
    await expect(f('https://s3.amazonaws.com/other/by-name.pem')).resolves.toBe('NETWORK');
    expect(calls).toHaveLength(3);
  });
});
