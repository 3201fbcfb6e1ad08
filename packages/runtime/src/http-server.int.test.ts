import net from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningHttpServer } from './http-server';

let server: RunningHttpServer;

beforeAll(async () => {
  const app = new Hono();
  // Refuses without reading the body, as the Alexa endpoint does for a declared Content-Length too big.
  app.post('/refuse', (c) => c.json({ error: 'body_too_large' }, 400));
  app.post('/echo-length', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  server = await listen(app, { port: 0, host: '127.0.0.1' });
});

afterAll(() => server.close(1_000));

/**
 * A client that keeps sending its body after the server has answered, in chunks over `sendForMs`,
 * and reads nothing until it has sent everything: a busy client on a loaded machine. Resolves with
 * what it could read once the server closed (or the write failed), and whether the connection was reset.
 */
function lateReader(path: string, totalBytes: number, sendForMs: number) {
  const { hostname, port } = new URL(server.url);
  return new Promise<{ response: string; reset: boolean }>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.pause();
    let response = '';
    let reset = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const chunks = Math.ceil(totalBytes / chunk.length);
    let sent = 0;
    const sendNext = () => {
      if (socket.destroyed) return;
      if (sent === chunks) {
        socket.on('data', (d) => {
          response += d.toString('latin1');
        });
        socket.resume();
        return;
      }
      sent++;
      socket.write(chunk, () => setTimeout(sendNext, sendForMs / chunks));
    };
    socket.on('error', () => {
      reset = true;
    });
    socket.on('close', () => resolve({ response, reset }));
    socket.once('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${chunks * chunk.length}\r\n\r\n`,
      );
      sendNext();
    });
  });
}

describe('an answer sent before the body was read', () => {
  it('reaches a client that is still sending: the server half-closes and discards the rest instead of resetting', async () => {
    // 2 MB over ~1.5 s: long past @hono/node-server's own 500 ms drain, which ends in a reset.
    const outcome = await lateReader('/refuse', 2 * 1024 * 1024, 1_500);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 400 /);
    expect(outcome.response).toContain('"body_too_large"');
    expect(outcome.reset).toBe(false);
  });

  it('the same server still reads whole bodies it asked for', async () => {
    const body = Buffer.alloc(300_000, 'b');
    const res = await fetch(`${server.url}/echo-length`, { method: 'POST', body });
    expect(await res.json()).toEqual({ bytes: 300_000 });
  });
});
