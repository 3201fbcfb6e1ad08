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
  ])('rejects %o naming the variable', (source, message) => {
    expect(() => loadEnv(source)).toThrowError(ConfigError);
    expect(() => loadEnv(source)).toThrowError(message);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadEnv({ PORT: 'x', LOG_LEVEL: 'y' })).toThrowError(/PORT[\s\S]*LOG_LEVEL/);
  });
});
