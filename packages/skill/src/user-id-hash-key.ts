import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The key that hashes Alexa user ids into analytics user ids, for embedded mode: it must survive restarts
 * but a newcomer should not have to invent it, so it is made once and kept under DATA_DIR with 0600 rights.
 * The server and the simulator's history replay read the same file, so replayed shoppers hash to the users
 * the server would make of them. Scaled deployments pass USER_ID_HASH_KEY instead, so every instance shares it.
 */
export async function loadOrCreateUserIdHashKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', 'user-id-hash.key');
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (existing !== undefined) {
    if (existing.length >= 32) return existing;
    // Never replaced silently: a new key would turn every returning shopper into a new analytics user.
    throw new Error(
      `${file} holds no usable key (under 32 characters); restore it, delete it to make a new one, or set USER_ID_HASH_KEY`,
    );
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
