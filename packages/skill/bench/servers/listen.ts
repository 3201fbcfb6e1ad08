import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  port: number;
  /** Stops listening and waits for requests still being handled (the load generator stops mid-flight). */
  close(): Promise<void>;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The same Node adapter apps/server serves Hono with, on 127.0.0.1 and a port the OS picks. */
export function listenHono(app: Hono): Promise<Listening> {
  return listenNode(getRequestListener(app.fetch));
}

export function listenNode(listener: Listener): Promise<Listening> {
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    const result = listener(req, res);
    // Hono's listener settles when the handler is done, even if the client has gone; Express's
    // returns nothing, so its response closing is the end.
    if (result instanceof Promise) void result.finally(() => inFlight--);
    else res.once('close', () => inFlight--);
  });
  // Longer than any pause between warm-up and measurement, so timing never includes reconnects.
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          while (inFlight > 0) await sleep(10);
          server.closeAllConnections();
          await closed;
        },
      });
    });
  });
}
