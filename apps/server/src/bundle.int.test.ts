import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProductionFirstStart } from './production-first-start.testing';

/*
 * What the Dockerfile does, in a temp directory: build the bundles fresh (nothing reused from an earlier
 * build), `npm ci --omit=dev` of the built output alone (outside the repository, so nothing resolves
 * to its node_modules), then plain `node` in production with SEED_DEMO unset.
 */

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

describe('the production bundle', () => {
  let work: string;
  let dist: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pitchline-bundle-'));
    dist = path.join(work, 'app');
    await run(process.execPath, ['tools/build/build-dist.mjs', '--outdir', dist], {
      cwd: REPO,
      maxBuffer: 64 << 20,
    });
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dist, maxBuffer: 64 << 20 });
  }, 300_000);
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('is installed without development tools', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--depth=0', '--parseable'], { cwd: dist });
    const installed = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => path.relative(dist, line));
    expect(installed).not.toContain('node_modules/tsx');
    expect(installed).not.toContain('node_modules/turbo');
    expect(installed).toContain('node_modules/chdb');
  });

  it('starts with plain node in production: no merchant, no demo login, create-owner, sign in, SIGTERM exit 0', async () => {
    const dataDir = path.join(work, 'data');
    await checkProductionFirstStart(
      { cwd: dist, server: ['server.mjs'], createOwner: ['create-owner.mjs'] },
      dataDir,
    );
  }, 240_000);
});
