import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The key sealing Amazon tokens, for embedded mode: made once under DATA_DIR/secrets (0600) like the
 * user-id hash key, so a newcomer need not invent it. Scaled deployments pass AMAZON_TOKEN_KEY so every
 * instance opens the same tokens. A lost key only means reconnecting Amazon, but it is never replaced
 * silently: a short file is an error to look at.
 */
export async function loadOrCreateAmazonTokenKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', 'amazon-token.key');
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (existing !== undefined) {
    if (existing.length >= 32) return existing;
    throw new Error(
      `${file} holds no usable key (under 32 characters); restore it, delete it to make a new one (then reconnect Amazon), or set AMAZON_TOKEN_KEY`,
    );
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
