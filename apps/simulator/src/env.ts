import path from 'node:path';
import { devCaDir } from '@pitchline/alexa-kit/dev-ca-dir';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { z } from 'zod';

/*
 * The environment of this app's two commands, `npm run simulate` and `npm run talk`: the only place they
 * read process.env (the same names as the server's).
 */

/** `npm run simulate`'s environment. */
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const simulateEnvSchema = z.object({
  SKILL_URL: z.url().default('http://127.0.0.1:3000'),
  DATA_DIR: z.string().min(1).default('./.pitchline'),
  SKILL_ID: z.string().min(1).default(DEMO_SKILL_ID),
  /** The token live shoppers who linked an account send; "none": nobody is linked. */
  ACCESS_TOKEN: z.string().min(1).default(DEMO_ACCESS_TOKEN),
  DATABASE_URL: optional,
  CLICKHOUSE_URL: optional,
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().default('pitchline'),
  USER_ID_HASH_KEY: optional,
});

export interface SimulateEnv {
  skillUrl: string;
  dataDir: string;
  devCaDir: string;
  skillId: string;
  accessToken: string | undefined;
  databaseUrl: string | undefined;
  clickhouse: { url: string | undefined; username: string; password: string; database: string };
  userIdHashKey: string | undefined;
}

export function loadSimulateEnv(env: NodeJS.ProcessEnv = process.env): SimulateEnv {
  const e = simulateEnvSchema.parse(env);
  // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed the command,
  // so `npm start` and `npm run simulate` from the repo root agree on ./.pitchline.
  const dataDir = path.resolve(env.INIT_CWD ?? process.cwd(), e.DATA_DIR);
  return {
    skillUrl: e.SKILL_URL.replace(/\/+$/, ''),
    dataDir,
    // Where the server keeps its development CA (DATA_DIR/dev-ca).
    devCaDir: devCaDir(dataDir),
    skillId: e.SKILL_ID,
    accessToken: e.ACCESS_TOKEN === 'none' ? undefined : e.ACCESS_TOKEN,
    databaseUrl: e.DATABASE_URL,
    clickhouse: {
      url: e.CLICKHOUSE_URL,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
    },
    userIdHashKey: e.USER_ID_HASH_KEY,
  };
}

/** `npm run talk`'s environment. */
const talkEnvSchema = z.object({
  SKILL_URL: z.url().default('http://127.0.0.1:3000'),
  DATA_DIR: z.string().min(1).default('./.pitchline'),
  SKILL_ID: z.string().min(1).default(DEMO_SKILL_ID),
  /** The account-linking token; "none" talks as a shopper who has not linked an account. */
  ACCESS_TOKEN: z.string().min(1).default(DEMO_ACCESS_TOKEN),
  TALK_LOCALE: z.string().default('en-US'),
  TALK_SCREEN: z.enum(['true', 'false']).default('true'),
});

export interface TalkConfig {
  endpoint: string;
  devCaDir: string;
  skillId: string;
  accessToken: string | undefined;
  locale: string;
  screen: boolean;
}

export function loadTalkConfig(env: NodeJS.ProcessEnv = process.env): TalkConfig {
  const parsed = talkEnvSchema.parse(env);
  return {
    endpoint: `${parsed.SKILL_URL.replace(/\/+$/, '')}/alexa`,
    // Where the server keeps its development CA (DATA_DIR/dev-ca).
    // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed the command,
    // so `npm start` and `npm run talk` from the repo root agree on ./.pitchline.
    devCaDir: devCaDir(path.resolve(env.INIT_CWD ?? process.cwd(), parsed.DATA_DIR)),
    skillId: parsed.SKILL_ID,
    accessToken: parsed.ACCESS_TOKEN === 'none' ? undefined : parsed.ACCESS_TOKEN,
    locale: parsed.TALK_LOCALE,
    screen: parsed.TALK_SCREEN === 'true',
  };
}

/**
 * Where the user typed the command: npm runs workspace scripts inside the workspace and keeps the
 * original directory in INIT_CWD, so relative paths (a --config file, DATA_DIR) mean what the user meant.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}
