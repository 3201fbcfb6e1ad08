import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './pglite-lock';

describe('PGlite data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pitchline-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('admits one holder at a time and frees on unlock', async () => {
    const path = join(dir, 'postgres.lock');
    const unlock = await lockDataDir(path);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    await expect(lockDataDir(path)).rejects.toThrow(/in use by this process/);
    await unlock();
    const again = await lockDataDir(path);
    await again();
  });

  it('refuses a lock held by another live process', async () => {
    const path = join(dir, 'postgres.lock');
    // pid 1 always exists (init); EPERM or success both mean "alive".
    await writeFile(path, '1');
    await expect(lockDataDir(path)).rejects.toThrow(/in use by process 1/);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const path = join(dir, 'postgres.lock');
    await writeFile(path, '2147483646'); // above any pid_max: no such process
    const unlock = await lockDataDir(path);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    await unlock();
  });
});
