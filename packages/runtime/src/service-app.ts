import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { httpMetrics } from './metrics';
import { createOpsRoutes, metricsAccessOf, type ReadinessCheck } from './ops-routes';
import { securityHeaders } from './security-headers';

/**
 * The app each deployable (the all-in-one server, the skill endpoint, the dashboard) mounts its routes on:
 * request metrics and security headers on every answer, and /healthz, /readyz and /metrics. `drain()`
 * turns /readyz to 503 at shutdown so a load balancer stops sending work before the stores close.
 */
export function createServiceApp(
  env: { PUBLIC_URL?: string | undefined; METRICS_TOKEN?: string | undefined; NODE_ENV: string },
  opts: { registry: Registry; checks: ReadinessCheck[] },
): { app: Hono; drain: () => void } {
  let draining = false;
  const app = new Hono();
  app.use(httpMetrics(opts.registry));
  app.use(securityHeaders({ https: env.PUBLIC_URL?.startsWith('https:') ?? false }));
  app.route(
    '/',
    createOpsRoutes({
      registry: opts.registry,
      isDraining: () => draining,
      checks: opts.checks,
      metrics: metricsAccessOf(env),
    }),
  );
  return {
    app,
    drain: () => {
      draining = true;
    },
  };
}
