import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from './env';

describe('loadEnv', () => {
  it('gives embedded defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CLICKHOUSE_DATABASE: 'pitchline',
    });
    expect(env.CLICKHOUSE_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.dataDir.endsWith('.pitchline')).toBe(true);
  });

  it('resolves a relative DATA_DIR from where npm was invoked, not from the workspace', () => {
    expect(loadEnv({ INIT_CWD: '/srv/pitchline' }).dataDir).toBe('/srv/pitchline/.pitchline');
    expect(loadEnv({ INIT_CWD: '/srv/pitchline', DATA_DIR: '/var/lib/p' }).dataDir).toBe('/var/lib/p');
  });

  it('treats empty strings as unset for optional URLs', () => {
    expect(loadEnv({ DATABASE_URL: '', CLICKHOUSE_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: PORT accepts a TCP port number/],
    [{ PORT: '70000' }, /PORT: PORT accepts a TCP port number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: LOG_LEVEL accepts fatal, error/],
    [{ CLICKHOUSE_URL: 'ftp://x' }, /CLICKHOUSE_URL: CLICKHOUSE_URL accepts an http\(s\) URL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: DATABASE_URL accepts a postgres:\/\//],
    [{ CLICKHOUSE_DATABASE: 'x; DROP' }, /CLICKHOUSE_DATABASE accepts an identifier/],
    [{ CLICKHOUSE_CLUSTER: 'c1' }, /CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO accepts true or false/],
    [{ NODE_ENV: 'production', ALEXA_VERIFY: 'false' }, /ALEXA_VERIFY=false is for local development only/],
    [{ NODE_ENV: 'production', ALEXA_DEV_CA: 'true' }, /ALEXA_DEV_CA=true trusts a development CA/],
    [{ NODE_ENV: 'production' }, /USER_ID_HASH_KEY is required in production/],
    [{ NODE_ENV: 'production' }, /PAYMENTS=simulated takes no money/],
    [{ PAYMENTS: 'stripe' }, /STRIPE_SECRET_KEY is required with PAYMENTS=stripe/],
    [{ PAYMENTS: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x' }, /STRIPE_WEBHOOK_SECRET is required/],
    [{ STRIPE_SECRET_KEY: 'pk_test_x' }, /STRIPE_SECRET_KEY accepts a Stripe secret key/],
    [{ PAYMENTS: 'paypal' }, /PAYMENTS accepts simulated or stripe/],
    [{ NODE_ENV: 'production', SEED_DEMO: 'true' }, /SEED_DEMO: SEED_DEMO=true seeds a demo merchant/],
    [{ TRUST_PROXY: '10.0.0.0/8,proxy.local' }, /TRUST_PROXY accepts a comma-separated list/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY accepts a comma-separated list/],
  ])('rejects %o naming the variable', (source, message) => {
    expect(() => loadEnv(source)).toThrowError(ConfigError);
    expect(() => loadEnv(source)).toThrowError(message);
  });

  it("defaults Amazon's endpoints, and refuses half an LWA client or a bad endpoint", () => {
    expect(loadEnv({})).toMatchObject({
      LWA_AUTHORIZE_URL: 'https://www.amazon.com/ap/oa',
      LWA_TOKEN_URL: 'https://api.amazon.com/auth/o2/token',
      SMAPI_URL: 'https://api.amazonalexa.com',
    });
    expect(loadEnv({}).LWA_CLIENT_ID).toBeUndefined();
    expect(() => loadEnv({ LWA_CLIENT_ID: 'amzn1.application-oa2-client.x' })).toThrowError(
      /LWA_CLIENT_SECRET: LWA_CLIENT_SECRET is required with LWA_CLIENT_ID/,
    );
    expect(() => loadEnv({ LWA_CLIENT_SECRET: 's' })).toThrowError(/LWA_CLIENT_ID: /);
    expect(() => loadEnv({ SMAPI_URL: 'ftp://x' })).toThrowError(/SMAPI_URL accepts an http\(s\) URL/);
    expect(() => loadEnv({ AMAZON_TOKEN_KEY: 'short' })).toThrowError(/AMAZON_TOKEN_KEY accepts/);
  });

  it('seeds the demo by default in development only, and reads TRUST_PROXY as a list', () => {
    expect(loadEnv({}).SEED_DEMO).toBe(true);
    expect(loadEnv({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    const production = {
      NODE_ENV: 'production',
      USER_ID_HASH_KEY: 'k'.repeat(32),
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    };
    expect(loadEnv(production).SEED_DEMO).toBe(false);
    expect(loadEnv({ ...production, SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    expect(loadEnv({}).TRUST_PROXY).toEqual([]);
    expect(loadEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
  });

  it('trusts the development CA outside production only, and accepts a complete production config', () => {
    expect(loadEnv({}).alexaDevCa).toBe(true);
    expect(loadEnv({ ALEXA_DEV_CA: 'false' }).alexaDevCa).toBe(false);
    const production = loadEnv({
      NODE_ENV: 'production',
      USER_ID_HASH_KEY: 'k'.repeat(32),
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    });
    expect(production).toMatchObject({ alexaDevCa: false, ALEXA_VERIFY: true, PAYMENTS: 'stripe' });
  });

  it('lists every bad variable at once', () => {
    expect(() => loadEnv({ PORT: 'x', LOG_LEVEL: 'y' })).toThrowError(/PORT[\s\S]*LOG_LEVEL/);
  });
});
