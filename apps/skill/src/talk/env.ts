import path from 'node:path';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { z } from 'zod';

/** The talk tool's environment: the only place it reads process.env. */
const envSchema = z.object({
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
  const parsed = envSchema.parse(env);
  return {
    endpoint: `${parsed.SKILL_URL.replace(/\/+$/, '')}/alexa`,
    // The server keeps its development CA here (apps/server skill-wiring devCaDir).
    // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed the command,
    // so `npm start` and `npm run talk` from the repo root agree on ./.pitchline.
    devCaDir: path.join(path.resolve(env.INIT_CWD ?? process.cwd(), parsed.DATA_DIR), 'dev-ca'),
    skillId: parsed.SKILL_ID,
    accessToken: parsed.ACCESS_TOKEN === 'none' ? undefined : parsed.ACCESS_TOKEN,
    locale: parsed.TALK_LOCALE,
    screen: parsed.TALK_SCREEN === 'true',
  };
}
