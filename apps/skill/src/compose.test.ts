import { COMPOSE_FILE, COMPOSE_SECRETS, composeServiceEnvironment } from '@pitchline/runtime/testing';
import { describe, expect, it } from 'vitest';
import { envSchema, loadEnv } from './env';

const COMPOSE = COMPOSE_FILE;
const SECRETS = COMPOSE_SECRETS;

describe('deploy/compose.yaml: the skill service', () => {
  it('sets only variables the skill endpoint reads, and a complete production configuration', async () => {
    const environment = await composeServiceEnvironment(COMPOSE, 'skill', SECRETS);
    const known = Object.keys(envSchema.shape);
    expect(Object.keys(environment).filter((name) => !known.includes(name))).toEqual([]);
    const env = loadEnv(environment);
    expect(env).toMatchObject({ NODE_ENV: 'production', PAYMENTS: 'stripe', dataDir: '/data' });
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/pitchline:pg-secret@postgres:5432\//);
    expect(env.CLICKHOUSE_URL).toBe('http://clickhouse:8123');
  });

  it('refuses to start without a required secret (compose stops at the missing variable)', async () => {
    const { USER_ID_HASH_KEY: _, ...incomplete } = SECRETS;
    await expect(composeServiceEnvironment(COMPOSE, 'skill', incomplete)).rejects.toThrow(/USER_ID_HASH_KEY/);
  });
});
