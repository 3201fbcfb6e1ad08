import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What a secret kept under DATA_DIR is called, and what a newcomer should know when it is unusable. */
export type DataDirSecret = {
  /** The file under DATA_DIR/secrets, e.g. 'user-id-hash.key'. */
  fileName: string;
  /** The variable a scaled deployment sets instead, so every instance shares one value. */
  envName: string;
  /** What making a new one costs, said in the refusal, e.g. 'then reconnect Amazon'. */
  ifReplaced?: string;
};

/**
 * A secret that must survive restarts but that a newcomer should not have to invent, for embedded mode:
 * made once (32 random bytes, base64url) under DATA_DIR/secrets with owner-only rights, then read back.
 * Concurrent first calls agree on one value. A file too short to be a key is never replaced silently,
 * since whatever it protects or names would change: it is an error that says what to do.
 */
export async function loadOrCreateDataDirSecret(dataDir: string, secret: DataDirSecret): Promise<string> {
  const file = path.join(dataDir, 'secrets', secret.fileName);
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (existing !== undefined) {
    if (existing.length >= 32) return existing;
    const replace = secret.ifReplaced
      ? `delete it to make a new one (${secret.ifReplaced})`
      : 'delete it to make a new one';
    throw new Error(
      `${file} holds no usable key (under 32 characters); restore it, ${replace}, or set ${secret.envName}`,
    );
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const made = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then theirs wins and we read it.
  try {
    await writeFile(file, `${made}\n`, { mode: 0o600, flag: 'wx' });
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
