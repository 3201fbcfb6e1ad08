import { COMPOSE_FILE, COMPOSE_SECRETS, composeServiceEnvironment } from '@pitchline/runtime/testing';
import { describe, expect, it } from 'vitest';
import { envSchema, loadEnv } from './env';

const COMPOSE = COMPOSE_FILE;
const SECRETS = COMPOSE_SECRETS;

describe('deploy/compose.yaml: the dashboard service', () => {
  it('sets only variables the dashboard reads, with both stores and its public URL', async () => {
    const environment = await composeServiceEnvironment(COMPOSE, 'dashboard', {
      ...SECRETS,
      TRUST_PROXY: '10.0.0.0/8',
    });
    const known = Object.keys(envSchema.shape);
    expect(Object.keys(environment).filter((name) => !known.includes(name))).toEqual([]);
    const env = loadEnv(environment);
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://dashboard.shop.example',
      TRUST_PROXY: ['10.0.0.0/8'],
      CLICKHOUSE_URL: 'http://clickhouse:8123',
    });
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
    // TRUST_PROXY is optional: unset, X-Forwarded-For is ignored.
    expect(loadEnv(await composeServiceEnvironment(COMPOSE, 'dashboard', SECRETS)).TRUST_PROXY).toEqual([]);
  });
});
