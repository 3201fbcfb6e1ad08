import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnDeployable } from '@pitchline/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProductionFirstStart, PRODUCTION_ENV } from './production-first-start.testing';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('a production start (sources through tsx)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-production-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('refuses SEED_DEMO=true with exit 2 naming it', async () => {
    const server = spawnDeployable(APP_DIR, {
      ...PRODUCTION_ENV,
      SEED_DEMO: 'true',
      DATA_DIR: dataDir,
      PORT: '0',
    });
    expect((await server.exited).code).toBe(2);
    expect(server.output()).toMatch(/SEED_DEMO: SEED_DEMO=true seeds a demo merchant/);
  });

  it('serves no merchant and no demo login, prints a setup link; create-owner makes an owner who signs in', async () => {
    await checkProductionFirstStart(
      {
        cwd: APP_DIR,
        server: ['--import', 'tsx', 'src/main.ts'],
        createOwner: ['--import', 'tsx', 'src/create-owner.ts'],
      },
      dataDir,
    );
  }, 240_000);
});
