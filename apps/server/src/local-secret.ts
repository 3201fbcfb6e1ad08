import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Embedded mode needs a few secrets (the key that hashes Alexa user ids) that must survive restarts but
 * that a newcomer should not have to invent. They are made once and kept under DATA_DIR with 0600 rights.
 * Scaled deployments pass them through the environment instead, so every instance shares them.
 */
export async function loadOrCreateLocalSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', `${name}.key`);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then theirs wins and we read it.
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
