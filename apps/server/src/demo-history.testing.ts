/*
 * Shared by the tests that start the real server on an empty DATA_DIR as the README's start line does
 * (demo-start, demo-resume): its environment, and its log lines.
 */

/** Every variable the server reads besides DATA_DIR and PORT: unset, the defaults are embedded PGlite + chDB. */
const SERVER_VARIABLES = [
  'HOST',
  'LOG_LEVEL',
  'PUBLIC_URL',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'CLICKHOUSE_DATABASE',
  'CLICKHOUSE_CLUSTER',
  'EVENT_LOG_MAX_BYTES',
  'DATABASE_URL',
  'SEED_DEMO',
  'ALEXA_VERIFY',
  'ALEXA_DEV_CA',
  'ALEXA_TRUSTED_ROOTS_FILE',
  'USER_ID_HASH_KEY',
  'PAYMENTS',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
];

/** Clears this process's server variables, which child servers inherit (each test file is its own process). */
export function useEmbeddedDefaults(): void {
  for (const name of SERVER_VARIABLES) delete process.env[name];
}

/** The server's JSON log lines (pino) with this message, parsed, in order. */
export function logLines(output: string, msg: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"msg":${JSON.stringify(msg)}`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
