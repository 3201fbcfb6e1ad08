import { open, readFile, rm } from 'node:fs/promises';

/**
 * PGlite has no postmaster to refuse a second process on the same data directory, and two writers
 * would corrupt it. A lock file holding the owner's pid makes the second opener fail loudly instead;
 * a lock left by a process that no longer exists (a crash) is taken over.
 */
export async function lockDataDir(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      const who = owner === process.pid ? 'this process' : `process ${owner}`;
      throw new Error(`PGlite data directory is in use by ${who} (${lockPath}); PGlite is single-process`);
    }
    await rm(lockPath, { force: true });
  }
  throw new Error(`could not lock the PGlite data directory (${lockPath})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
