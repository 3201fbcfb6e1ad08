import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { closeLingering } from './lingering-close';

export type RunningHttpServer = {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (up to graceMs), then resolves. */
  close(graceMs?: number): Promise<void>;
};

export function listen(app: Hono, opts: { port: number; host: string }): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (err: Error) => reject(err);
    server = serve(
      {
        fetch: app.fetch,
        port: opts.port,
        hostname: opts.host,
        // Node checks the header and request timeouts only this often (30 s by default), so a trickled
        // body would otherwise hold its connection for up to a minute past requestTimeout.
        serverOptions: { connectionsCheckingInterval: 1_000 },
      },
      (info: AddressInfo) => {
        server.off('error', onError);
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: (graceMs = 10_000) => closeGracefully(server, graceMs),
        });
      },
    );
    server.once('error', onError);
    // Answers sent before a body was read (early refusals) must reach the client: see lingering-close.ts.
    server.on('connection', (socket) => closeLingering(socket));
    // Slow-loris protection: a client that trickles its headers or body is cut off, not waited for.
    // Alexa waits 8 s for a whole answer and our bodies are a few KB: 15 s to send one is generous.
    if ('headersTimeout' in server) {
      server.headersTimeout = 10_000;
      server.requestTimeout = 15_000;
      server.keepAliveTimeout = 5_000;
    }
  });
}

function closeGracefully(server: ServerType, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}
