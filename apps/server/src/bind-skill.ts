import { parseArgs } from 'node:util';
import {
  addSkill,
  MerchantSettingsError,
  merchantOfMember,
  migrateDatabase,
  openDatabase,
  skillIdSchema,
} from '@pitchline/db';
import { loadConfigOrExit } from '@pitchline/runtime/lifecycle';
import { makeDataDirPrivate } from '@pitchline/runtime/private-data-dir';
import { loadCreateOwnerEnv } from './env';

/*
 * `npm run bind-skill -- --merchant-email owner@shop.example --skill-id amzn1.ask.skill.…`: the operator
 * of a self-hosted server binds an Alexa skill to a merchant directly. Shell access to the server (its
 * DATA_DIR or DATABASE_URL) is the proof of control here; through the dashboard an owner proves it with
 * their Amazon developer account instead.
 */

const USAGE =
  'usage: npm run bind-skill -- --merchant-email <member address> --skill-id amzn1.ask.skill.<uuid> [--name "<skill name>"]';

function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`bind-skill: ${message}\n`);
  process.exit(code);
}

function parseArguments(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'merchant-email': { type: 'string' },
        'skill-id': { type: 'string' },
        name: { type: 'string' },
      },
      strict: true,
    });
    const email = values['merchant-email'];
    const skillId = values['skill-id'];
    if (!email || !skillId) fail(`--merchant-email and --skill-id are required\n${USAGE}`, 2);
    const id = skillIdSchema.safeParse(skillId.trim());
    if (!id.success) fail(`${id.error.issues[0]?.message ?? 'malformed skill id'}\n${USAGE}`, 2);
    return { email, skillId: id.data, name: values.name?.trim() || 'Alexa skill' };
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

async function main() {
  const args = parseArguments(process.argv.slice(2));
  const env = loadConfigOrExit(() => loadCreateOwnerEnv());
  // Into the server's DATA_DIR: what this creates there (PGlite's files, its lock) is as private as the server's.
  await makeDataDirPrivate(env.dataDir, {
    warn: (_details: object, message?: string) => process.stderr.write(`warning: ${message}\n`),
  });
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
  } catch (error) {
    const message = (error as Error).message;
    if (/PGlite data directory is in use/.test(message)) {
      fail(
        `the embedded store in ${env.dataDir} is open in a running server (${message.replace(/^.*in use by /, '').replace(/ \(.*$/, '')}); PGlite is single-process. Stop the server first.`,
        1,
      );
    }
    fail(`cannot open the relational store: ${message}`, 1);
  }
  try {
    await migrateDatabase(database);
    const merchant = await merchantOfMember(database.db, args.email);
    if (!merchant) fail(`no member has the address ${args.email}; nothing was bound`, 1);
    const skill = await addSkill(database.db, merchant.id, { id: args.skillId, name: args.name });
    process.stdout.write(
      `Bound ${skill.id} ("${skill.name}") to "${merchant.name}". A running server hears of it within 30 seconds.\n`,
    );
  } catch (error) {
    if (error instanceof MerchantSettingsError) fail(`${error.message}; nothing was bound`, 1);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1));
