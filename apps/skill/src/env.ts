import {
  alexaDevCaOf,
  jobsShape,
  parseEnvironment,
  processShape,
  refineSkill,
  refineStores,
  refuseWith,
  skillShape,
  storesShape,
} from '@pitchline/runtime/env';
import { z } from 'zod';

/**
 * The ONLY place the skill endpoint reads process.env: the server's variables without the demo and the
 * dashboard (README "Configuration"). Several of these processes may share one PostgreSQL and one
 * ClickHouse, each with a DATA_DIR (event log) of its own.
 */
export const envSchema = z
  .object({ ...processShape, ...storesShape, ...skillShape, ...jobsShape })
  .superRefine((env, ctx) => {
    const refuse = refuseWith(ctx);
    refineStores(env, refuse);
    refineSkill(env, refuse);
  });

export type SkillServerConfig = ReturnType<typeof loadEnv>;

export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const env = parseEnvironment(envSchema, source);
  return { ...env, alexaDevCa: alexaDevCaOf(env) };
}
