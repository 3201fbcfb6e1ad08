import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadOrCreateUserIdHashKey } from './user-id-hash-key';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('makes the key once (0600), and every later or concurrent call reads the same one', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hash-key-'));
  const first = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateUserIdHashKey(dir as string)));
  expect(new Set(first).size).toBe(1);
  expect(first[0]?.length).toBeGreaterThanOrEqual(32);
  const file = path.join(dir, 'secrets', 'user-id-hash.key');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(await loadOrCreateUserIdHashKey(dir)).toBe(first[0]);
  expect((await readFile(file, 'utf8')).trim()).toBe(first[0]);
});

it('refuses a key file too short to be a key, instead of hashing with it or replacing it', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hash-key-'));
  await loadOrCreateUserIdHashKey(dir);
  const file = path.join(dir, 'secrets', 'user-id-hash.key');
  await writeFile(file, 'short\n');
  await expect(loadOrCreateUserIdHashKey(dir)).rejects.toThrow(/no usable key/);
  expect((await readFile(file, 'utf8')).trim()).toBe('short');
});
