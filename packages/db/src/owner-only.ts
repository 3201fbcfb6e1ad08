import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Takes group and other permissions off `root` and everything under it (symbolic links untouched).
 * PGlite lays out a new database from its bundled image and keeps the image's 0666 modes, whatever the
 * process umask: its files (the WAL holds password and session-token hashes) are made owner-only once
 * it has opened. Files it creates afterwards follow the umask.
 */
export async function restrictToOwner(root: string): Promise<void> {
  const info = await lstat(root).catch(() => undefined);
  if (!info || info.isSymbolicLink()) return;
  if ((info.mode & 0o077) !== 0) await chmod(root, info.mode & 0o700);
  if (info.isDirectory()) {
    for (const name of await readdir(root)) await restrictToOwner(path.join(root, name));
  }
}
