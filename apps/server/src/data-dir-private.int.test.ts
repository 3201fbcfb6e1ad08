import { chmod, lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDeployable } from '@pitchline/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Private at rest: a first start of the real server (its entry, in its own process, with the default
 * umask of the shell that runs it) leaves nothing under DATA_DIR that another local user could read:
 * directories 0700, files 0600 — PGlite's files (the WAL holds password and session-token hashes),
 * chDB's, the event log, the secrets and the development CA. A path made wider later is named in a
 * warning at the next start.
 */

const APP_DIR = path.resolve(import.meta.dirname, '..');

let root: string;
let dataDir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pitchline-private-'));
  // Not created yet: the server creates it, as on a real first start.
  dataDir = path.join(root, 'data');
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every path under `dir` (itself included) whose mode grants anything to group or others. */
async function widerThanOwner(dir: string): Promise<string[]> {
  const wide: string[] = [];
  const visit = async (p: string) => {
    const info = await lstat(p);
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0)
      wide.push(`${path.relative(dataDir, p) || '.'} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(p)) await visit(path.join(p, name));
  };
  await visit(dir);
  return wide;
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++;
  return n;
}

describe('DATA_DIR at rest', () => {
  it('a first start leaves no group- or world-accessible path under DATA_DIR', async () => {
    // The umask a shell usually has, whatever the test runner's is: the server must not depend on it.
    const previous = process.umask(0o022);
    let server: Awaited<ReturnType<typeof startDeployable>> | undefined;
    try {
      server = await startDeployable(APP_DIR, dataDir, { SEED_DEMO: 'true' });
    } finally {
      process.umask(previous);
    }
    // A login writes PGlite (session row, WAL) after the start.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'demo@pitchline.dev', password: 'pitchline-demo' }),
    });
    expect(login.status).toBe(200);
    expect(await server.stop()).toBe(0);
    // Real stores wrote real files: hundreds of them, not an empty directory passing by default.
    expect(await countFiles(dataDir)).toBeGreaterThan(100);
    expect(await widerThanOwner(dataDir)).toEqual([]);
  }, 180_000);

  it('warns at start naming a path under DATA_DIR that is wider than owner-only', async () => {
    const leaked = path.join(dataDir, 'copied-by-hand.txt');
    await writeFile(leaked, 'x');
    await chmod(leaked, 0o644);
    await chmod(dataDir, 0o755);
    const server = await startDeployable(APP_DIR, dataDir);
    try {
      expect(server.output()).toMatch(/owner-only/);
      expect(server.output()).toContain('copied-by-hand.txt');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);
});
