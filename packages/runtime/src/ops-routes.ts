import { Hono } from 'hono';
import type { Registry } from 'prom-client';

export type ReadinessCheck = { name: string; check: () => Promise<boolean> };

/**
 * /healthz answers while the process runs (liveness); /readyz only when every store answers and
 * migrations are applied (readiness: a load balancer sends no traffic before that); /metrics is
 * Prometheus text format.
 */
export function createOpsRoutes(opts: {
  checks: ReadinessCheck[];
  registry: Registry;
  isDraining: () => boolean;
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
  app.get('/metrics', async (c) => {
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
