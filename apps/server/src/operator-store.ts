import { migrateDatabase, openDatabase } from '@pitchline/db';
import { makeDataDirPrivate } from '@pitchline/runtime/private-data-dir';
import type { loadCreateOwnerEnv } from './env';

/*
 * What the operator commands (`npm run create-owner`, `npm run bind-skill`) share: a way to fail with a
 * message and an exit code, and the relational store opened the way the server opens it.
 */

export type Fail = (message: string, code: 1 | 2) => never;

/** Prints `<command>: <message>` on stderr and exits: 2 for a usage error, 1 for a refusal. */
export function failingAs(command: string): Fail {
  return (message, code) => {
    process.stderr.write(`${command}: ${message}\n`);
    process.exit(code);
  };
}

/**
 * Opens and migrates the server's relational store. Into the server's DATA_DIR, what this creates (PGlite's
 * files, its lock) is as private as the server's. PGlite is single-process, so while a server holds the
 * embedded store the command is refused with `whileServerRuns` said as the way out.
 */
export async function openOperatorStore(
  env: ReturnType<typeof loadCreateOwnerEnv>,
  fail: Fail,
  whileServerRuns: string,
): Promise<Awaited<ReturnType<typeof openDatabase>>> {
  await makeDataDirPrivate(env.dataDir, {
    warn: (_details: object, message?: string) => process.stderr.write(`warning: ${message}\n`),
  });
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
  } catch (error) {
    const message = (error as Error).message;
    if (/PGlite data directory is in use/.test(message)) {
      const holder = message.replace(/^.*in use by /, '').replace(/ \(.*$/, '');
      fail(
        `the embedded store in ${env.dataDir} is open in a running server (${holder}); PGlite is single-process. ${whileServerRuns}`,
        1,
      );
    }
    fail(`cannot open the relational store: ${message}`, 1);
  }
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
