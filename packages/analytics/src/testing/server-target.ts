/*
 * `npm run test:clickhouse-server` runs the analytics integration tests against a ClickHouse server
 * instead of the process's chDB: it sets these variables from CLICKHOUSE_URL (and CLICKHOUSE_USER,
 * CLICKHOUSE_PASSWORD, CLICKHOUSE_CLUSTER). Their own names keep a CLICKHOUSE_URL in a developer's
 * shell from silently redirecting `npm test`.
 */
export type ServerTarget = { url: string; username?: string; password?: string; cluster?: string };

export function clickHouseServerUnderTest(): ServerTarget | undefined {
  const url = process.env.PITCHLINE_TEST_CLICKHOUSE_URL;
  if (!url) return undefined;
  const optional = (name: string) => process.env[name] || undefined;
  const username = optional('PITCHLINE_TEST_CLICKHOUSE_USER');
  const password = optional('PITCHLINE_TEST_CLICKHOUSE_PASSWORD');
  const cluster = optional('PITCHLINE_TEST_CLICKHOUSE_CLUSTER');
  return {
    url,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(cluster ? { cluster } : {}),
  };
}
