import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadOrCreateDataDirSecret } from './data-dir-secret';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const hashKey = { fileName: 'user-id-hash.key', envName: 'USER_ID_HASH_KEY' };

it('makes the secret once (0600 in a 0700 folder), and every later or concurrent call reads the same one', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'secret-'));
  const first = await Promise.all(
    Array.from({ length: 5 }, () => loadOrCreateDataDirSecret(dir as string, hashKey)),
  );
  expect(new Set(first).size).toBe(1);
  expect(first[0]?.length).toBeGreaterThanOrEqual(32);
  const file = path.join(dir, 'secrets', 'user-id-hash.key');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  expect(await loadOrCreateDataDirSecret(dir, hashKey)).toBe(first[0]);
  expect((await readFile(file, 'utf8')).trim()).toBe(first[0]);
});

it('keeps secrets of different names apart', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'secret-'));
  const a = await loadOrCreateDataDirSecret(dir, hashKey);
  const b = await loadOrCreateDataDirSecret(dir, {
    fileName: 'amazon-token.key',
    envName: 'AMAZON_TOKEN_KEY',
  });
  expect(a).not.toBe(b);
});

it('refuses a file too short to be a key, naming the variable and the cost, instead of using or replacing it', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'secret-'));
  const tokenKey = {
    fileName: 'amazon-token.key',
    envName: 'AMAZON_TOKEN_KEY',
    ifReplaced: 'then reconnect Amazon',
  };
  await loadOrCreateDataDirSecret(dir, tokenKey);
  const file = path.join(dir, 'secrets', 'amazon-token.key');
  await writeFile(file, 'short\n');
  await expect(loadOrCreateDataDirSecret(dir, tokenKey)).rejects.toThrow(
    /no usable key .*then reconnect Amazon.*AMAZON_TOKEN_KEY/,
  );
  expect((await readFile(file, 'utf8')).trim()).toBe('short');
});
