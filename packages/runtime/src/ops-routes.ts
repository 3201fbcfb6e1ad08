import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';

export type ReadinessCheck = { name: string; check: () => Promise<boolean> };

/**
 * Who may read /metrics: holders of a bearer token, anyone ('open', development without a token), or
 * nobody on this port ('off', production without a token: the figures name merchants and show traffic).
 */
export type MetricsAccess = { token: string } | 'open' | 'off';

/** METRICS_TOKEN when set; otherwise open in development and off in production. */
export function metricsAccessOf(env: {
  METRICS_TOKEN?: string | undefined;
  NODE_ENV: string;
}): MetricsAccess {
  if (env.METRICS_TOKEN) return { token: env.METRICS_TOKEN };
  return env.NODE_ENV === 'production' ? 'off' : 'open';
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  // Compared in constant time so response timing does not reveal how much of a guess was right.
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * /healthz answers while the process runs (liveness); /readyz only when every store answers and
 * migrations are applied (readiness: a load balancer sends no traffic before that); /metrics is
 * Prometheus text format, behind `metrics` (see MetricsAccess).
 */
export function createOpsRoutes(opts: {
  checks: ReadinessCheck[];
  registry: Registry;
  isDraining: () => boolean;
  metrics: MetricsAccess;
}) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      opts.checks.map(async ({ name, check }) => {
        try {
          return [name, await withTimeout(check(), 2_000)] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const draining = opts.isDraining();
    const ready = !draining && results.every(([, ok]) => ok);
    return c.json(
      { status: ready ? 'ready' : draining ? 'draining' : 'not_ready', checks },
      ready ? 200 : 503,
    );
  });
  const { metrics } = opts;
  if (metrics === 'off') return app;
  app.get('/metrics', async (c) => {
    if (metrics !== 'open' && !bearerMatches(c.req.header('authorization'), metrics.token)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: 'unauthorized' }, 401);
    }
    c.header('Content-Type', opts.registry.contentType);
    return c.body(await opts.registry.metrics());
  });
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
