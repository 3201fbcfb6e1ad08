import { fileURLToPath } from 'node:url';
import {
  alexaDevCaOf,
  amazonShape,
  booleanVariable,
  ConfigError,
  jobsShape,
  parseEnvironment,
  processShape,
  proxyShape,
  refineAmazon,
  refineSkill,
  refineStores,
  refuseWith,
  skillShape,
  storesShape,
} from '@pitchline/runtime/env';
import { z } from 'zod';

/**
 * The ONLY place the all-in-one server reads process.env. Every variable is validated here at start; a
 * bad value stops the start with a message naming the variable and what it accepts (README
 * "Configuration"). The shapes are shared with the skill and dashboard deployables.
 */
export const envSchema = z
  .object({
    ...processShape,
    ...storesShape,
    ...skillShape,
    ...proxyShape,
    ...jobsShape,
    ...amazonShape,
    // Unset: on in development (the demo), off in production (no default credentials there).
    SEED_DEMO: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? undefined : v))
      .pipe(booleanVariable('SEED_DEMO').optional()),
    DASHBOARD_DIST_DIR: z.string().min(1, 'DASHBOARD_DIST_DIR accepts a directory path').optional(),
  })
  .superRefine((env, ctx) => {
    const refuse = refuseWith(ctx);
    refineStores(env, refuse);
    refineSkill(env, refuse);
    refineAmazon(env, refuse);
    if (env.NODE_ENV === 'production' && env.SEED_DEMO === true) {
      refuse(
        'SEED_DEMO',
        'SEED_DEMO=true seeds a demo merchant with a published owner login; the server refuses it in production',
      );
    }
  });

export type Env = z.infer<typeof envSchema>;
export { ConfigError };

/** apps/dashboard/dist, beside this app in the repository. */
const DEFAULT_DASHBOARD_DIST_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export type ServerConfig = ReturnType<typeof loadEnv>;

/** Parses an environment (process.env by default) into typed config, or throws ConfigError listing every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const env = parseEnvironment(envSchema, source);
  return {
    ...env,
    SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    alexaDevCa: alexaDevCaOf(env),
    // The SPA is served as files, not imported: by default the dashboard app's `vite build` output.
    dashboardDistDir: env.DASHBOARD_DIST_DIR ?? DEFAULT_DASHBOARD_DIST_DIR,
  };
}

/**
 * What `npm run create-owner` reads: where the relational store is (DATABASE_URL, or PGlite under
 * DATA_DIR) and nothing a server needs, so it runs with the same variables as the server it serves.
 */
export const createOwnerEnvSchema = z.object({
  DATA_DIR: processShape.DATA_DIR,
  DATABASE_URL: storesShape.DATABASE_URL,
});

export function loadCreateOwnerEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnvironment(createOwnerEnvSchema, source);
}
