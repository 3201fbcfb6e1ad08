import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository's deploy/compose.yaml. */
export const COMPOSE_FILE = fileURLToPath(new URL('../../../../deploy/compose.yaml', import.meta.url));

/** What an operator puts in deploy/.env: every `${…:?}` of compose.yaml. */
export const COMPOSE_SECRETS: Readonly<Record<string, string>> = {
  POSTGRES_PASSWORD: 'pg-secret',
  CLICKHOUSE_PASSWORD: 'ch-secret',
  SKILL_PUBLIC_URL: 'https://skill.shop.example',
  DASHBOARD_PUBLIC_URL: 'https://dashboard.shop.example',
  USER_ID_HASH_KEY: 'k'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_compose',
  STRIPE_WEBHOOK_SECRET: 'whsec_compose',
};

/*
 * deploy/compose.yaml as compose reads it, for the apps' tests that check each service's environment
 * against their env schema: anchors merged, `${NAME:?message}` (required) filled from `secrets` (a test
 * fails naming a required variable it has no value for), `${NAME:-default}` from `secrets` or the default.
 */
export async function composeServiceEnvironment(
  file: string,
  service: string,
  secrets: Record<string, string>,
): Promise<Record<string, string>> {
  const document = parse(await readFile(file, 'utf8'), { merge: true }) as {
    services?: Record<string, { environment?: Record<string, string | number | boolean> }>;
  };
  const environment = document.services?.[service]?.environment;
  if (!environment) throw new Error(`${file}: service ${service} sets no environment`);
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, interpolate(String(value), secrets)]),
  );
}

function interpolate(value: string, secrets: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind?: string, rest?: string) => {
      const given = secrets[name];
      if (given !== undefined) return given;
      if (kind === '-') return rest ?? '';
      throw new Error(
        `compose requires ${name} (${rest ?? 'no message'}) and the test gives no value for it`,
      );
    },
  );
}
