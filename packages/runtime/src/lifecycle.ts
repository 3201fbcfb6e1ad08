import type { Hono } from 'hono';
import { ConfigError } from './env-schema';
import { listen, type RunningHttpServer } from './http-server';
import type { Logger } from './logger';

/*
 * How every deployable starts and stops: a bad variable is one message and exit code 2; a start that
 * fails is exit code 1 with the reason; SIGTERM or SIGINT drains (/readyz turns 503), finishes in-flight
 * requests, closes the stores (shipping recorded events) and exits 0.
 */

/** The validated config, or the process ends with the message naming each bad variable (exit code 2). */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export type Deployable = {
  app: Hono;
  /** Stops new work: /readyz answers 503 so a load balancer moves traffic away first. */
  drain(): void;
  /** Releases everything after the HTTP server stopped (flushes events, closes stores). */
  close(): Promise<void>;
};

/** Listens, and on SIGTERM/SIGINT stops in order: drain, finish requests (up to 10 s), close, exit. */
export async function serveUntilStopped(
  deployable: Deployable,
  options: { port: number; host: string; logger: Logger },
): Promise<RunningHttpServer> {
  const { logger } = options;
  const server = await listen(deployable.app, { port: options.port, host: options.host });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests, flushing events');
    deployable.drain();
    try {
      await server.close(10_000);
      await deployable.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return server;
}

/** For `main().catch(...)`: the reason on stderr and exit code 1. */
export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(
    `Pitchline failed to start: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
  );
  process.exit(1);
}

/**
 * The client's address as the socket saw it (@hono/node-server's incoming request); behind a load
 * balancer this is the balancer.
 */
export function socketAddress(c: { env: unknown }): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
}
