import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = path.resolve(import.meta.dirname, '..');

function startServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  // 'close', not 'exit': 'exit' can fire before the last output chunk is read, and the checks read it after.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-main-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on a bad variable, naming it and what it accepts', async () => {
    const server = startServer({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/PORT: PORT accepts a TCP port number from 0 to 65535/);
  });

  it('starts, prints its URLs and the demo login, becomes ready, and exits 0 on SIGTERM', async () => {
    const server = startServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      const url = await waitFor(() => /running at (http:\/\/\S+)/.exec(server.output())?.[1], 90_000);
      expect(server.output()).toMatch(/Dashboard login: demo@pitchline\.dev \/ \S+/);
      const ready = await waitFor(async () => {
        const res = await fetch(`${url}/readyz`);
        return res.status === 200 ? res : undefined;
      }, 30_000);
      expect(ready.status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).not.toMatch(/shutdown failed/);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);

  it('does not seed twice: a restart on the same data dir prints no demo login', async () => {
    const server = startServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      await waitFor(() => /running at (http:\/\/\S+)/.exec(server.output())?.[1], 90_000);
      expect(server.output()).not.toMatch(/Dashboard login/);
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);
});
