import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { type Database, openDatabase } from '@pitchline/db';

/** Each server gets its own copy of the seeded PGlite directory: PGlite is one process per directory. */
export async function openSeededCopy(seedPostgresDir: string, dataDir: string): Promise<Database> {
  await cp(seedPostgresDir, join(dataDir, 'postgres'), { recursive: true });
  return openDatabase({ dataDir });
}
