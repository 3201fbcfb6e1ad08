import { fileURLToPath } from 'node:url';
import {
  amazonShape,
  parseEnvironment,
  processShape,
  proxyShape,
  refineAmazon,
  refineStores,
  refuseWith,
  storesShape,
} from '@pitchline/runtime/env';
import { z } from 'zod';

/**
 * The ONLY place the dashboard deployable reads process.env: where it listens, the two stores it reads,
 * and whether the skill endpoints take real payments (so merchants may switch to Stripe).
 */
export const envSchema = z
  .object({
    ...processShape,
    ...storesShape,
    ...proxyShape,
    ...amazonShape,
    PAYMENTS: z
      .enum(['simulated', 'stripe'], { error: () => 'PAYMENTS accepts simulated or stripe' })
      .default('simulated'),
    DASHBOARD_DIST_DIR: z.string().min(1, 'DASHBOARD_DIST_DIR accepts a directory path').optional(),
  })
  .superRefine((env, ctx) => {
    refineStores(env, refuseWith(ctx));
    refineAmazon(env, refuseWith(ctx));
  });

/** This app's `vite build` output. */
const DEFAULT_DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export type DashboardServerConfig = ReturnType<typeof loadEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const env = parseEnvironment(envSchema, source);
  return { ...env, distDir: env.DASHBOARD_DIST_DIR ?? DEFAULT_DIST_DIR };
}
