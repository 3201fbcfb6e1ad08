import { randomUUID } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { join } from 'node:path';

/**
 * The write-ahead log is a directory of segment files. A segment's bytes are exactly the JSONEachRow
 * payload of its rows, so shipping it is one read and one INSERT, with no re-serialisation.
 *
 * A segment's name is its sequence number (ordering) plus a random suffix, and the name is the segment's
 * insert_deduplication_token. The random part matters: sequence numbers restart when a log directory is
 * emptied or replaced, and several skill instances write to the same table, so a bare number would let
 * ClickHouse drop a fresh batch as a "duplicate" of an old one.
 */
const SEGMENT = /^(\d{12})-([0-9a-f]{32})\.jsonl$/;

export interface SegmentFile {
  seq: number;
  /** The file name without extension: the deduplication token. */
  token: string;
  path: string;
  bytes: number;
  events: number;
}

export function newSegmentName(seq: number): { token: string; file: string } {
  const token = `${String(seq).padStart(12, '0')}-${randomUUID().replaceAll('-', '')}`;
  return { token, file: `${token}.jsonl` };
}

/** Makes a file's creation (its directory entry) durable, not only its contents. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function countLines(buf: Buffer, end: number): number {
  let n = 0;
  let at = buf.indexOf(10);
  while (at !== -1 && at < end) {
    n++;
    at = buf.indexOf(10, at + 1);
  }
  return n;
}

/**
 * Finds the segments a previous run left behind, oldest first. Every record was written as whole lines
 * and acknowledged only after its fdatasync, so bytes after the last newline belong to a write that never
 * completed (its record never resolved): they are cut. Empty segments are removed.
 */
export async function recoverSegments(dir: string, fsync: boolean): Promise<SegmentFile[]> {
  await fsp.mkdir(dir, { recursive: true });
  const names = (await fsp.readdir(dir)).filter((n) => SEGMENT.test(n)).sort();
  const segments: SegmentFile[] = [];
  let changed = false;
  for (const name of names) {
    const path = join(dir, name);
    const buf = await fsp.readFile(path);
    const end = buf.lastIndexOf(10) + 1;
    if (end === 0) {
      await fsp.rm(path, { force: true });
      changed = true;
      continue;
    }
    if (end < buf.length) {
      const handle = await fsp.open(path, 'r+');
      try {
        await handle.truncate(end);
        if (fsync) await handle.datasync();
      } finally {
        await handle.close();
      }
    }
    const match = SEGMENT.exec(name);
    segments.push({
      seq: Number(match?.[1]),
      token: name.slice(0, -'.jsonl'.length),
      path,
      bytes: end,
      events: countLines(buf, end),
    });
  }
  if (changed && fsync) await fsyncDir(dir);
  return segments;
}

export class WalLockedError extends Error {
  override name = 'WalLockedError';
}

const LOCK = 'LOCK';
/** Directories held by a live EventWriter in this process. */
const heldInProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per log directory. A second one would "recover" the first one's open segment while it is
 * still being appended to, ship it, and the later appends would then be dropped as duplicates of that
 * token. The lock is a pid file: a lock left by a dead process (a crash) is taken over.
 */
export async function lockWal(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  if (heldInProcess.has(dir)) {
    throw new WalLockedError(`another EventWriter in this process is using the event log ${dir}`);
  }
  let holder: number | undefined;
  try {
    holder = Number((await fsp.readFile(path, 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (holder !== undefined && Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new WalLockedError(
      `the event log ${dir} is in use by process ${holder}; each process needs its own walDir ` +
        `(if that process is not a Pitchline writer, delete ${path})`,
    );
  }
  await fsp.writeFile(path, `${process.pid}\n`);
  heldInProcess.add(dir);
  return async () => {
    heldInProcess.delete(dir);
    await fsp.rm(path, { force: true });
  };
}
