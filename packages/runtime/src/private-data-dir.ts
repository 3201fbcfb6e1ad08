import { lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger';

/*
 * DATA_DIR holds PGlite's files (whose WAL carries password and session-token hashes), chDB's, the
 * event log, the secrets and the development CA: none of it is for other local users. The process
 * umask makes everything the stores create owner-only (0700 directories, 0600 files) whatever the
 * shell's umask was, and a check at start names what is wider, e.g. copied in by hand or left by an
 * older version.
 */

/** Masks group and other bits off every file and directory this process creates from now on. */
export const PRIVATE_UMASK = 0o077;

/** At most this many paths are named in the warning; the count says how many more there are. */
const NAMED_AT_MOST = 20;

/**
 * Sets the owner-only umask, creates `dataDir` 0700 when missing, and warns naming each path under it
 * that grants group or others any access. Call first thing at start, before any store opens.
 */
export async function makeDataDirPrivate(dataDir: string, logger: Pick<Logger, 'warn'>): Promise<string[]> {
  process.umask(PRIVATE_UMASK);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const wider = await pathsWiderThanOwner(dataDir);
  if (wider.length > 0) {
    logger.warn(
      {
        dataDir,
        paths: wider.slice(0, NAMED_AT_MOST),
        more: Math.max(0, wider.length - NAMED_AT_MOST),
        fix: `chmod -R go-rwx ${dataDir}`,
      },
      `${wider.length} path(s) under DATA_DIR are readable by other local users; DATA_DIR should be owner-only (0700 directories, 0600 files): ${wider.slice(0, NAMED_AT_MOST).join(', ')}`,
    );
  }
  return wider;
}

/** Every path under `root` (itself included; symbolic links not followed) with a group or other bit, with its mode. */
export async function pathsWiderThanOwner(root: string): Promise<string[]> {
  const wider: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const info = await lstat(p).catch(() => undefined);
    // Gone meanwhile, or a link: a link's own mode means nothing, and its target may be anywhere.
    if (!info || info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) wider.push(`${p} (${(info.mode & 0o777).toString(8).padStart(4, '0')})`);
    if (info.isDirectory()) {
      const names = await readdir(p).catch(() => [] as string[]);
      for (const name of names) await visit(path.join(p, name));
    }
  };
  await visit(root);
  return wider;
}
