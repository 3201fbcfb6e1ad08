import { parseArgs } from 'node:util';
import { createOwner, OwnerError } from '@pitchline/db';
import { loadConfigOrExit } from '@pitchline/runtime/lifecycle';
import { loadCreateOwnerEnv } from './env';
import { type Fail, failingAs, openOperatorStore } from './operator-store';

/*
 * `npm run create-owner -- --email you@example.com --merchant "Your shop"`: the first owner of an install
 * (or another merchant with its owner), without default credentials. The password comes from a no-echo
 * prompt on a terminal or from stdin (`… < password-file`), never from argv, which other users of the
 * machine can read in the process list and which lands in shell history.
 */

const USAGE =
  'usage: npm run create-owner -- --email <address> --merchant "<name>"  (password from the prompt or stdin)';

// Typed explicitly so TypeScript knows a call to it ends the process (narrowing after `fail(…)`).
const fail: Fail = failingAs('create-owner');

function parseArguments(argv: string[]) {
  if (argv.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    fail(
      '--password is refused: a password in the command line is visible to every user of the machine and kept in shell history. Type it at the prompt or pipe it on stdin.',
      2,
    );
  }
  try {
    const { values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, merchant: { type: 'string' } },
      strict: true,
    });
    if (!values.email || !values.merchant) fail(`--email and --merchant are required\n${USAGE}`, 2);
    return { email: values.email, merchant: values.merchant };
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  return new Promise((resolve) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password for the owner (12 characters or more): ');
    const again = await promptHidden('Same password again: ');
    if (first !== again) fail('the two passwords differ; nothing was created', 1);
    return first;
  }
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) input += chunk;
  // One trailing newline is the line's end, not part of the password (`echo … |`, a file).
  return input.replace(/\r?\n$/, '');
}

async function main() {
  const args = parseArguments(process.argv.slice(2));
  const env = loadConfigOrExit(() => loadCreateOwnerEnv());
  const password = await readPassword();
  const database = await openOperatorStore(
    env,
    fail,
    'Stop the server first, or use the setup link it printed.',
  );
  try {
    const owner = await createOwner(database.db, {
      email: args.email,
      merchantName: args.merchant,
      password,
    });
    process.stdout.write(
      `Created merchant "${args.merchant.trim()}" with owner ${owner.email}. Sign in to the dashboard with it.\n`,
    );
  } catch (error) {
    if (error instanceof OwnerError) fail(`${error.message}; nothing was created`, 1);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1));
