import { fileURLToPath } from 'node:url';
import { composeServiceEnvironment } from '@pitchline/runtime/testing';
import { describe, expect, it } from 'vitest';
import { envSchema, loadEnv } from './env';

const COMPOSE = fileURLToPath(new URL('../../../deploy/compose.yaml', import.meta.url));
const SECRETS = {
  POSTGRES_PASSWORD: 'pg-secret',
  CLICKHOUSE_PASSWORD: 'ch-secret',
  SKILL_PUBLIC_URL: 'https://skill.shop.example',
  DASHBOARD_PUBLIC_URL: 'https://dashboard.shop.example',
  USER_ID_HASH_KEY: 'k'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_compose',
  STRIPE_WEBHOOK_SECRET: 'whsec_compose',
};

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
