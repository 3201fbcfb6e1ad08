import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomDatabaseName } from './testing';

/**
 * Every event whose record() resolved must be in ClickHouse exactly once after a SIGKILL and a restart.
 * The children and the verifier are separate processes that use one chDB directory one after another
 * (libchdb binds one directory per process; two live processes must never share one). This test process
 * never opens chDB itself.
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(packageDir, 'test', 'crash-child.ts');
const root = mkdtempSync(join(tmpdir(), 'pitchline-crash-'));
const dataDir = join(root, 'data');

function run(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    child.emit('lines');
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}

function waitFor(child: ChildProcess, done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      child.off('lines', check);
      resolve();
    };
    const timer = setTimeout(() => {
      child.off('lines', check);
      reject(new Error(`child never reached: ${what}`));
    }, timeoutMs);
    child.on('lines', check);
    child.once('exit', () => setTimeout(check, 0));
    check();
  });
}

interface CrashCase {
  database: string;
  walDir: string;
  acknowledged: string[];
  segmentsAtDeath: string[];
  insertedToken?: string;
}

async function crashChild(mode: 'blocked' | 'inserted' | 'load', killAfterIds: number): Promise<CrashCase> {
  const c = { database: randomDatabaseName('crash'), walDir: join(root, `wal-${mode}`) };
  const { child, lines, exited } = run(['crash', JSON.stringify({ ...c, dataDir, mode })]);
  const ids = () => lines.filter((l) => l.startsWith('id ')).length;
  const inserted = () => lines.find((l) => l.startsWith('inserted '));
  await waitFor(
    child,
    () => ids() >= killAfterIds && (mode !== 'inserted' || inserted() !== undefined),
    `${killAfterIds} acknowledged records (${mode})`,
  );
  child.kill('SIGKILL');
  expect(await exited).toBe(null);
  // Only what was printed before death counts as acknowledged (the pipe keeps what was written).
  const acknowledged = lines.filter((l) => l.startsWith('id ')).map((l) => l.slice(3));
  const token = inserted()?.slice('inserted '.length);
  return {
    ...c,
    acknowledged,
    segmentsAtDeath: readdirSync(c.walDir).filter((f) => f.endsWith('.jsonl')),
    ...(token ? { insertedToken: token } : {}),
  };
}

let cases: Record<'blocked' | 'inserted' | 'load', CrashCase>;
let counts: Record<string, Record<string, number>>;

beforeAll(async () => {
  cases = {
    blocked: await crashChild('blocked', 300),
    inserted: await crashChild('inserted', 100),
    // Killed at a random moment under load, with batches being shipped and deleted meanwhile.
    load: await crashChild('load', 400 + Math.floor(Math.random() * 1500)),
  };
  const { lines, exited } = run(['verify', JSON.stringify({ dataDir, cases: Object.values(cases) })]);
  expect(await exited).toBe(0);
  counts = JSON.parse(lines.at(-1) ?? '{}');
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectExactlyOnce(c: CrashCase): void {
  const stored = counts[c.database] ?? {};
  const missing = c.acknowledged.filter((id) => stored[id] === undefined);
  const doubled = Object.entries(stored).filter(([, n]) => n !== 1);
  expect(missing).toEqual([]);
  expect(doubled).toEqual([]);
}

describe('EventWriter survives SIGKILL', () => {
  it('killed while ClickHouse was blocked: the log is replayed, every acknowledged event stored once', () => {
    const c = cases.blocked;
    expect(c.acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(c.segmentsAtDeath.length).toBeGreaterThan(0);
    expectExactlyOnce(c);
  });

  it('killed after an INSERT succeeded but before its segment was deleted: the replay is deduplicated', () => {
    const c = cases.inserted;
    expect(c.insertedToken).toBeDefined();
    expect(c.segmentsAtDeath).toContain(`${c.insertedToken}.jsonl`);
    expectExactlyOnce(c);
  });

  it('killed at a random moment under load: nothing acknowledged lost, nothing doubled', () => {
    const c = cases.load;
    expect(c.acknowledged.length).toBeGreaterThanOrEqual(400);
    expectExactlyOnce(c);
  });
});
