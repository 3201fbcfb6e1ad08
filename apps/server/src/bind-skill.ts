import { parseArgs } from 'node:util';
import { addSkill, MerchantSettingsError, merchantOfMember, skillIdSchema } from '@pitchline/db';
import { loadConfigOrExit } from '@pitchline/runtime/lifecycle';
import { loadCreateOwnerEnv } from './env';
import { type Fail, failingAs, openOperatorStore } from './operator-store';

/*
 * `npm run bind-skill -- --merchant-email owner@shop.example --skill-id amzn1.ask.skill.…`: the operator
 * of a self-hosted server binds an Alexa skill to a merchant directly. Shell access to the server (its
 * DATA_DIR or DATABASE_URL) is the proof of control here; through the dashboard an owner proves it with
 * their Amazon developer account instead.
 */

const USAGE =
  'usage: npm run bind-skill -- --merchant-email <member address> --skill-id amzn1.ask.skill.<uuid> [--name "<skill name>"]';

// Typed explicitly so TypeScript knows a call to it ends the process (narrowing after `fail(…)`).
const fail: Fail = failingAs('bind-skill');

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
  const database = await openOperatorStore(env, fail, 'Stop the server first.');
  try {
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
