import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLingering } from './lingering-close';

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A Node HTTP server that answers at once with `Connection: close`, never reading the body. */
async function refusingServer(limits: { ms: number; maxBytes: number }) {
  server = http.createServer((_req, res) => {
    res.writeHead(400, { connection: 'close', 'content-type': 'text/plain' }).end('too large');
  });
  let serverClosed!: (ms: number) => void;
  const closedAfterMs = new Promise<number>((r) => {
    serverClosed = r;
  });
  server.on('connection', (socket) => {
    const accepted = Date.now();
    closeLingering(socket, limits);
    socket.on('close', () => serverClosed(Date.now() - accepted));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, closedAfterMs };
}

/**
 * Sends a request head, then `sendBytes` of body (or nothing more), and never closes its side. Resolves
 * with what it read once the server ended (FIN) or reset the connection.
 */
function stubbornClient(port: number, sendBytes: number) {
  return new Promise<{ response: string }>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let response = '';
    socket.on('data', (d) => {
      response += d.toString('latin1');
    });
    socket.on('error', () => resolve({ response }));
    socket.on('end', () => resolve({ response }));
    socket.once('connect', () => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n');
      const chunk = Buffer.alloc(256 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < sendBytes && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', more);
        }
      };
      more();
    });
  });
}

describe('closeLingering', () => {
  it('gives up on a client that never closes after the time limit, with the answer delivered', async () => {
    const { port, closedAfterMs } = await refusingServer({ ms: 300, maxBytes: 1e9 });
    const outcome = await stubbornClient(port, 0);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 400 /);
    // It lingered (a plain destroySoon closes at once), then let go (the client never would).
    expect(await closedAfterMs).toBeGreaterThanOrEqual(290);
  });

  it('gives up on a client that keeps sending once it has read the byte limit', async () => {
    const { port, closedAfterMs } = await refusingServer({ ms: 60_000, maxBytes: 1024 * 1024 });
    // Far more than the limit: without it, the server would read all 2 GB or wait out its 60 s.
    const outcome = await stubbornClient(port, 2 * 1024 * 1024 * 1024);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 400 /);
    expect(await closedAfterMs).toBeLessThan(30_000);
  });
});
