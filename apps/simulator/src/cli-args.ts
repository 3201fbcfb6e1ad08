import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_EXPERIMENT, type SimulatorConfig, simulatorConfigSchema } from '@pitchline/simulation';
import type { z } from 'zod';

/**
 * The simulate command's arguments, checked before anything is opened: a mistake in them ends the run
 * with one line naming the flag or file (UsageError, exit code 2), not a stack trace from deep inside.
 */

export const USAGE =
  'npm run simulate -- --shoppers N [--days D] [--config file.json] [--url URL] [--concurrency C] [--seed S] [--real-pace] [--json]';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliRequest {
  help: boolean;
  json: boolean;
  realPace: boolean;
  /** Live mode only: the running server (SKILL_URL otherwise). */
  url: string | undefined;
  config: SimulatorConfig;
}

const OPTIONS = {
  shoppers: { type: 'string' },
  days: { type: 'string' },
  config: { type: 'string' },
  url: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  'real-pace': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** Flags that are whole numbers, with the config field (and so the bounds) each one sets. */
const INTEGER_FLAGS = ['shoppers', 'days', 'concurrency'] as const;
type IntegerFlag = (typeof INTEGER_FLAGS)[number];

function bounds(flag: IntegerFlag): { min: number; max: number } {
  const field = simulatorConfigSchema.shape[flag].unwrap();
  return { min: field.minValue ?? 0, max: field.maxValue ?? Number.MAX_SAFE_INTEGER };
}

function wholeNumber(flag: IntegerFlag, raw: string): number {
  const { min, max } = bounds(flag);
  const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${flag} accepts a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

/**
 * node:util parseArgs refuses `--shoppers -3` as ambiguous (the value looks like a flag) with a
 * three-line hint; for a number flag the value is plainly meant, so it is passed on and judged as a number.
 */
function joinNegativeNumbers(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (INTEGER_FLAGS.some((f) => arg === `--${f}`) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function oneLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

async function readConfigFile(file: string, cwd: string): Promise<Record<string, unknown>> {
  const where = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(where, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--config ${file}: cannot read ${where} (${code ?? oneLine(String(error))})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON (${oneLine((error as Error).message)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config ${file}: expected a JSON object of settings (see sim.example.json)`);
  }
  return parsed as Record<string, unknown>;
}

/** One zod issue as `path: message` (the config file's and, in cli.ts, the environment's). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.');
  return at ? `${at}: ${issue.message}` : issue.message;
}

/**
 * Flags override the config file, which overrides the defaults (and the demo experiment). `cwd` is
 * where a relative --config is found: where the user typed the command (INIT_CWD under npm).
 */
export async function parseCliArgs(args: readonly string[], cwd: string): Promise<CliRequest> {
  const parse = (a: string[]) => parseArgs({ args: a, options: OPTIONS, allowPositionals: false });
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(joinNegativeNumbers(args)));
  } catch (error) {
    throw new UsageError(`${oneLine((error as Error).message)} (usage: ${USAGE})`);
  }
  const help = values.help ?? false;
  const request = { help, json: values.json ?? false, realPace: values['real-pace'] ?? false };
  if (help) return { ...request, url: undefined, config: simulatorConfigSchema.parse({}) };

  const flags: Record<string, unknown> = {};
  for (const flag of INTEGER_FLAGS) {
    const raw = values[flag];
    if (raw !== undefined) flags[flag] = wholeNumber(flag, raw);
  }
  if (values.seed !== undefined) {
    if (values.seed.trim() === '') throw new UsageError('--seed accepts any non-empty text');
    flags.seed = values.seed;
  }
  const fromFile = values.config !== undefined ? await readConfigFile(values.config, cwd) : {};

  const parsed = simulatorConfigSchema.safeParse({ experiment: DEMO_EXPERIMENT, ...fromFile, ...flags });
  if (!parsed.success) {
    // Every issue is the file's: the flags were checked above, and the defaults are valid.
    const source = values.config !== undefined ? `--config ${values.config}` : 'settings';
    throw new UsageError(`${source}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  }
  const config = parsed.data;

  let url: string | undefined;
  if (values.url !== undefined) {
    if (config.days > 0) {
      // A replay runs the skill in this process, into DATA_DIR's stores; it sends nothing to a server.
      throw new UsageError(
        `--url is for live runs (--days 0); a replay of --days ${config.days} writes into DATA_DIR's stores with the server stopped, so leave --url out`,
      );
    }
    if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
      throw new UsageError(`--url accepts an http(s) URL such as http://127.0.0.1:3000, not "${values.url}"`);
    }
    url = values.url.replace(/\/+$/, '');
  }
  return { ...request, url, config };
}
