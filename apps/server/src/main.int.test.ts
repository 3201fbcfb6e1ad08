import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, waitFor } from './faults/server-process';

describe('the server process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-main-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on a bad variable, naming it and what it accepts', async () => {
    const server = spawnServer({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect((await server.exited).code).toBe(2);
    expect(server.output()).toMatch(/PORT: PORT accepts a TCP port number from 0 to 65535/);
  });

  it('starts, prints its URLs and the demo login, becomes ready, and exits 0 on SIGTERM', async () => {
    const server = spawnServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      const url = await waitFor(
        () => /running at (http:\/\/\S+)/.exec(server.output())?.[1],
        90_000,
        'server URL',
      );
      expect(server.output()).toMatch(/Dashboard login: demo@pitchline\.dev \/ \S+/);
      const ready = await waitFor(
        async () => {
          const res = await fetch(`${url}/readyz`);
          return res.status === 200 ? res : undefined;
        },
        30_000,
        'ready',
      );
      expect(ready.status).toBe(200);
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
      expect(server.output()).not.toMatch(/shutdown failed/);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);

  it('does not seed twice: a restart on the same data dir prints no demo login', async () => {
    const server = spawnServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      await waitFor(() => /running at (http:\/\/\S+)/.exec(server.output())?.[1], 90_000, 'server URL');
      expect(server.output()).not.toMatch(/Dashboard login/);
      server.child.kill('SIGINT');
      expect((await server.exited).code).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);
});
