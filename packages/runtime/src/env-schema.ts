import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxy } from './client-address';

/*
 * The variables every deployable understands, as zod shapes each app's env module composes: the app
 * reads process.env there (and nowhere else) and hands the parsed config to the packages. A bad value
 * stops the start with a message naming the variable and what it accepts (see README "Configuration").
 */

const bool = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: () => `${name} accepts true or false`,
    })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Unset and blank are the same: a `FOO=` line in a .env file means "not set". */
const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const booleanVariable = bool;

/** How the process runs and where it listens and keeps its files. */
export const processShape = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: () => 'NODE_ENV accepts development, production or test',
    })
    .default('development'),
  PORT: z.coerce
    .number({ error: () => 'PORT accepts a TCP port number from 0 to 65535' })
    .int('PORT accepts a TCP port number from 0 to 65535')
    .min(0, 'PORT accepts a TCP port number from 0 to 65535')
    .max(65535, 'PORT accepts a TCP port number from 0 to 65535')
    .default(3000),
  HOST: z
    .string()
    .min(1, 'HOST accepts an interface address such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'DATA_DIR accepts a directory path').default('./.pitchline'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: () => 'LOG_LEVEL accepts fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  PUBLIC_URL: z.url({ error: () => 'PUBLIC_URL accepts an absolute http(s) URL' }).optional(),
  METRICS_TOKEN: optionalNonEmpty.pipe(
    z.string().min(32, 'METRICS_TOKEN accepts a secret of at least 32 characters').optional(),
  ),
};

/**
 * Proxies in front of the server whose X-Forwarded-For is believed (README "Deploy"): a comma-separated
 * list of IP addresses and CIDR blocks. Unset: X-Forwarded-For is ignored and the socket's peer is the client.
 */
export const proxyShape = {
  TRUST_PROXY: optionalNonEmpty
    .transform((v) => (v === undefined ? [] : v.split(',').map((entry) => entry.trim())))
    .refine((entries) => entries.every((entry) => parseTrustedProxy(entry) !== undefined), {
      error: 'TRUST_PROXY accepts a comma-separated list of IP addresses and CIDR blocks (10.0.0.0/8,::1)',
    }),
};

/** The periodic jobs (run by one instance at a time, see @pitchline/jobs' scheduler). */
export const jobsShape = {
  BANDIT_REBALANCE_SECONDS: z.coerce
    .number({ error: () => 'BANDIT_REBALANCE_SECONDS accepts a whole number of seconds from 1 to 86400' })
    .int('BANDIT_REBALANCE_SECONDS accepts a whole number of seconds from 1 to 86400')
    .min(1, 'BANDIT_REBALANCE_SECONDS accepts a whole number of seconds from 1 to 86400')
    .max(86_400, 'BANDIT_REBALANCE_SECONDS accepts a whole number of seconds from 1 to 86400')
    .default(900),
  ALERTS_EVALUATE_SECONDS: z.coerce
    .number({ error: () => 'ALERTS_EVALUATE_SECONDS accepts a whole number of seconds from 1 to 3600' })
    .int('ALERTS_EVALUATE_SECONDS accepts a whole number of seconds from 1 to 3600')
    .min(1, 'ALERTS_EVALUATE_SECONDS accepts a whole number of seconds from 1 to 3600')
    .max(3600, 'ALERTS_EVALUATE_SECONDS accepts a whole number of seconds from 1 to 3600')
    .default(60),
};

/** The two stores: ClickHouse (or embedded chDB) with the event log, and PostgreSQL (or PGlite). */
export const storesShape = {
  CLICKHOUSE_URL: optionalNonEmpty.pipe(
    z.url({ protocol: /^https?$/, error: () => 'CLICKHOUSE_URL accepts an http(s) URL' }).optional(),
  ),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'CLICKHOUSE_DATABASE accepts an identifier: letters, digits, _')
    .default('pitchline'),
  CLICKHOUSE_CLUSTER: optionalNonEmpty.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/,
        'CLICKHOUSE_CLUSTER accepts a cluster name: letters, digits, _ and -',
      )
      .optional(),
  ),
  EVENT_LOG_MAX_BYTES: z.coerce
    .number({ error: () => 'EVENT_LOG_MAX_BYTES accepts a whole number of bytes' })
    .int('EVENT_LOG_MAX_BYTES accepts a whole number of bytes')
    .min(1_048_576, 'EVENT_LOG_MAX_BYTES accepts at least 1048576 (1 MiB)')
    .default(1_073_741_824),
  DATABASE_URL: optionalNonEmpty.pipe(
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error: () => 'DATABASE_URL accepts a postgres:// connection URL',
      })
      .optional(),
  ),
};

/** The Alexa endpoint: request verification, shopper-id hashing and payments. */
export const skillShape = {
  ALEXA_VERIFY: bool('ALEXA_VERIFY').default(true),
  ALEXA_DEV_CA: bool('ALEXA_DEV_CA').optional(),
  ALEXA_TRUSTED_ROOTS_FILE: optionalNonEmpty,
  USER_ID_HASH_KEY: optionalNonEmpty.pipe(
    z.string().min(32, 'USER_ID_HASH_KEY accepts a secret of at least 32 characters').optional(),
  ),
  PAYMENTS: z
    .enum(['simulated', 'stripe'], { error: () => 'PAYMENTS accepts simulated or stripe' })
    .default('simulated'),
  STRIPE_SECRET_KEY: optionalNonEmpty.pipe(
    z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'STRIPE_SECRET_KEY accepts a Stripe secret key (sk_…)')
      .optional(),
  ),
  STRIPE_WEBHOOK_SECRET: optionalNonEmpty.pipe(
    z
      .string()
      .startsWith('whsec_', 'STRIPE_WEBHOOK_SECRET accepts a webhook signing secret (whsec_…)')
      .optional(),
  ),
};

const endpoint = (name: string, fallback: string) =>
  optionalNonEmpty
    .pipe(z.url({ protocol: /^https?$/, error: () => `${name} accepts an http(s) URL` }).optional())
    .transform((v) => v ?? fallback);

/**
 * Login with Amazon and the Skill Management API, by which an owner proves control of an Alexa skill
 * (README "Connecting Amazon"). The endpoint URLs are Amazon's unless a test points them elsewhere.
 */
export const amazonShape = {
  LWA_CLIENT_ID: optionalNonEmpty,
  LWA_CLIENT_SECRET: optionalNonEmpty,
  LWA_AUTHORIZE_URL: endpoint('LWA_AUTHORIZE_URL', 'https://www.amazon.com/ap/oa'),
  LWA_TOKEN_URL: endpoint('LWA_TOKEN_URL', 'https://api.amazon.com/auth/o2/token'),
  SMAPI_URL: endpoint('SMAPI_URL', 'https://api.amazonalexa.com'),
  AMAZON_TOKEN_KEY: optionalNonEmpty.pipe(
    z.string().min(32, 'AMAZON_TOKEN_KEY accepts a secret of at least 32 characters').optional(),
  ),
};

const amazonObject = z.object(amazonShape);
type AmazonVariables = z.infer<typeof amazonObject>;

/** A client id without its secret (or the reverse) is a half-done setup: say so rather than run without. */
export const refineAmazon: Refine<AmazonVariables> = (env, refuse) => {
  if (env.LWA_CLIENT_ID && !env.LWA_CLIENT_SECRET) {
    refuse('LWA_CLIENT_SECRET', 'LWA_CLIENT_SECRET is required with LWA_CLIENT_ID');
  }
  if (env.LWA_CLIENT_SECRET && !env.LWA_CLIENT_ID) {
    refuse('LWA_CLIENT_ID', 'LWA_CLIENT_ID is required with LWA_CLIENT_SECRET');
  }
};

const processObject = z.object(processShape);
const storesObject = z.object(storesShape);
const skillObject = z.object(skillShape);
type ProcessVariables = z.infer<typeof processObject>;
type StoresVariables = z.infer<typeof storesObject>;
type SkillVariables = z.infer<typeof skillObject>;

type Refine<T> = (env: T, refuse: (variable: string, message: string) => void) => void;

/** Cross-variable rules of the stores. */
export const refineStores: Refine<StoresVariables> = (env, refuse) => {
  if (env.CLICKHOUSE_CLUSTER && !env.CLICKHOUSE_URL) {
    refuse('CLICKHOUSE_CLUSTER', 'CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL: embedded chDB has no cluster');
  }
};

/** What production refuses for the Alexa endpoint, and what Stripe payments need. */
export const refineSkill: Refine<SkillVariables & Pick<ProcessVariables, 'NODE_ENV'>> = (env, refuse) => {
  const production = env.NODE_ENV === 'production';
  if (production && !env.ALEXA_VERIFY) {
    refuse(
      'ALEXA_VERIFY',
      'ALEXA_VERIFY=false is for local development only; the server refuses it in production',
    );
  }
  if (production && env.ALEXA_DEV_CA) {
    refuse('ALEXA_DEV_CA', 'ALEXA_DEV_CA=true trusts a development CA; the server refuses it in production');
  }
  if (production && !env.USER_ID_HASH_KEY) {
    refuse('USER_ID_HASH_KEY', 'USER_ID_HASH_KEY is required in production (every instance must hash alike)');
  }
  if (production && env.PAYMENTS === 'simulated') {
    refuse('PAYMENTS', 'PAYMENTS=simulated takes no money; production needs PAYMENTS=stripe');
  }
  if (env.PAYMENTS === 'stripe') {
    if (!env.STRIPE_SECRET_KEY)
      refuse('STRIPE_SECRET_KEY', 'STRIPE_SECRET_KEY is required with PAYMENTS=stripe');
    if (!env.STRIPE_WEBHOOK_SECRET) {
      refuse('STRIPE_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET is required with PAYMENTS=stripe');
    }
  }
};

/** The `refuse` the rules take, reporting to zod's superRefine, so an app applies the rules of its shapes. */
export function refuseWith(ctx: z.RefinementCtx) {
  return (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What every deployable derives from its variables besides the variables themselves. */
export type DerivedConfig = {
  /** DATA_DIR resolved to an absolute path. */
  dataDir: string;
};

/**
 * Parses an environment with an app's schema, or throws ConfigError listing every problem at once.
 * A relative DATA_DIR is resolved from INIT_CWD: npm runs workspace scripts inside the workspace, and
 * INIT_CWD is where the user typed `npm start`, so the server and our tools agree on ./.pitchline.
 */
export function parseEnvironment<S extends z.ZodType<{ DATA_DIR: string }>>(
  schema: S,
  source: Record<string, string | undefined>,
): z.infer<S> & DerivedConfig {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      return `  ${variable}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data as z.infer<S>;
  return { ...env, dataDir: path.resolve(source.INIT_CWD ?? process.cwd(), env.DATA_DIR) };
}

export type StoresConfig = StoresVariables & DerivedConfig;
export type ProcessConfig = ProcessVariables & DerivedConfig;

/** alexaDevCa's default: on outside production. */
export function alexaDevCaOf(env: Pick<SkillVariables, 'ALEXA_DEV_CA'> & Pick<ProcessVariables, 'NODE_ENV'>) {
  return env.ALEXA_DEV_CA ?? env.NODE_ENV !== 'production';
}
