import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from './migrate';

/*
 * For the migration tests (migration-000N.int.test.ts): the migrations folder as it was before a
 * given migration, so a database can be brought to that older schema, filled, and then migrated
 * forward with migrateDatabase. Not exported from the package.
 */

/**
 * A temp copy of the migrations folder whose journal stops before `tag` (e.g. '0004'), and the tags
 * it kept, for the caller to check. The caller removes the directory.
 */
export async function migrationsBefore(tag: string): Promise<{ dir: string; tags: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pitchline-migrations-'));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta/_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < tag);
  await writeFile(journalPath, JSON.stringify(journal));
  return { dir, tags: journal.entries.map((e) => e.tag) };
}
