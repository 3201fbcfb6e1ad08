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

/**
 * Segments ClickHouse rejected for good (see classifyInsertError) are moved here, out of the shipping order,
 * each beside a `<token>.json` sidecar saying why. Nothing in it is shipped, deleted, or counted against
 * maxLogBytes; recovery never looks inside (its names do not match SEGMENT and it is a directory).
 *
 * Re-shipping (after fixing the schema, or the file by hand): EventWriter.reshipQuarantined() moves them
 * back under their original names. With the writer stopped the same is
 *   mv <walDir>/quarantine/*.jsonl <walDir>/ && rm <walDir>/quarantine/*.json
 * and the next start ships them. The original name matters: it is the deduplication token, so a segment
 * re-shipped twice (a crash mid-way, an operator running it again) is still stored once, and should a failed
 * INSERT ever have stored part of it, re-sending it under the same token drops the stored blocks.
 */
export const QUARANTINE_DIR = 'quarantine';

export interface QuarantineSidecar {
  token: string;
  /** ClickHouse's message (it can quote the offending input). */
  error: string;
  code?: number;
  type?: string;
  /** ISO time it was quarantined. */
  time: string;
  events: number;
  bytes: number;
}

export interface QuarantinedSegment extends SegmentFile {
  sidecar: string;
}

/**
 * Moves a sealed segment into the quarantine directory: sidecar first, then the rename, then both directory
 * entries fsynced. A crash before the rename leaves the segment in the log (shipped, rejected and quarantined
 * again on the next start); after it, the segment is quarantined with its reason.
 */
export async function quarantineSegment(
  dir: string,
  segment: SegmentFile,
  reason: Omit<QuarantineSidecar, 'token' | 'time' | 'events' | 'bytes'>,
  fsync: boolean,
): Promise<QuarantinedSegment> {
  const qdir = join(dir, QUARANTINE_DIR);
  const created = await fsp.mkdir(qdir, { recursive: true });
  if (created !== undefined && fsync) await fsyncDir(dir);
  const sidecar: QuarantineSidecar = {
    token: segment.token,
    ...reason,
    time: new Date().toISOString(),
    events: segment.events,
    bytes: segment.bytes,
  };
  const sidecarPath = join(qdir, `${segment.token}.json`);
  const handle = await fsp.open(sidecarPath, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(sidecar, null, 2)}\n`);
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  // Bytes past the acknowledged length belong to records whose record() was rejected (a write or sync that
  // failed and could not be cut back); they were never shipped and must not be re-shipped either.
  const stat = await fsp.stat(segment.path);
  if (stat.size > segment.bytes) await fsp.truncate(segment.path, segment.bytes);
  const path = join(qdir, `${segment.token}.jsonl`);
  await fsp.rename(segment.path, path);
  if (fsync) {
    await fsyncDir(qdir);
    await fsyncDir(dir);
  }
  return { ...segment, path, sidecar: sidecarPath };
}

/**
 * The quarantined segments, oldest first. Sizes come from the sidecars when they are readable (so a start
 * does not read megabytes of rejected rows), else from the file as recovery would count it. Anything else
 * in the directory (an operator's notes, a sidecar whose segment was moved back) is ignored.
 */
export async function listQuarantine(dir: string): Promise<QuarantinedSegment[]> {
  const qdir = join(dir, QUARANTINE_DIR);
  let names: string[];
  try {
    names = await fsp.readdir(qdir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  const out: QuarantinedSegment[] = [];
  for (const name of names.filter((n) => SEGMENT.test(n)).sort()) {
    const token = name.slice(0, -'.jsonl'.length);
    const path = join(qdir, name);
    const sidecar = join(qdir, `${token}.json`);
    let bytes: number | undefined;
    let events: number | undefined;
    try {
      const parsed = JSON.parse(await fsp.readFile(sidecar, 'utf8')) as Partial<QuarantineSidecar>;
      if (Number.isSafeInteger(parsed.bytes) && Number.isSafeInteger(parsed.events)) {
        bytes = parsed.bytes as number;
        events = parsed.events as number;
      }
    } catch {
      // No sidecar or not ours: measure the segment itself.
    }
    if (bytes === undefined || events === undefined) {
      let buf: Buffer;
      try {
        buf = await fsp.readFile(path);
      } catch {
        continue;
      }
      bytes = buf.lastIndexOf(10) + 1;
      events = countLines(buf, bytes);
    }
    out.push({ seq: Number(SEGMENT.exec(name)?.[1]), token, path, bytes, events, sidecar });
  }
  return out;
}

/**
 * Moves a quarantined segment back into the log under its own name (its deduplication token). Its size is
 * measured again, not taken from the sidecar: the operator may have edited the file to fix it. A last line
 * without its newline is the operator's (the file was cut to whole lines when quarantined), so it gets one
 * rather than being cut like a torn write. An empty file is left where it is: there is nothing to ship.
 */
export async function unquarantineSegment(
  dir: string,
  segment: QuarantinedSegment,
  fsync: boolean,
): Promise<SegmentFile | undefined> {
  const path = join(dir, `${segment.token}.jsonl`);
  // rename() would replace a file of that name; a segment's name is unique, so finding one is a bug to stop at.
  const exists = await fsp.stat(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new Error(`cannot re-ship ${segment.token}: the event log already holds a segment of that name`);
  }
  let buf = await fsp.readFile(segment.path);
  if (buf.toString('utf8').trim() === '') return undefined;
  if (buf[buf.length - 1] !== 10) {
    await fsp.appendFile(segment.path, '\n');
    buf = Buffer.concat([buf, Buffer.from('\n')]);
  }
  if (fsync) {
    const handle = await fsp.open(segment.path, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
  await fsp.rename(segment.path, path);
  if (fsync) {
    await fsyncDir(dir);
    await fsyncDir(join(dir, QUARANTINE_DIR));
  }
  await fsp.rm(segment.sidecar, { force: true });
  return {
    seq: segment.seq,
    token: segment.token,
    path,
    bytes: buf.length,
    events: countLines(buf, buf.length),
  };
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
