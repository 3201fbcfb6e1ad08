import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOwner, listSkills, migrateDatabase, openDatabase, SKILL_REFUSED } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The operator's `npm run bind-skill`, run as a process against an embedded store as it would be on a
 * self-hosted server: refused while a server holds the store, then binds; bad input changes nothing.
 */

const SKILL = 'amzn1.ask.skill.11111111-2222-4333-8444-555555555555';
const OWNER = 'Owner@Roastery.example';
let dataDir: string;
let merchantId: string;

function bindSkill(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bind-skill.ts', ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function withStore<T>(use: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir });
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-bind-skill-'));
  merchantId = await withStore(async (database) => {
    await migrateDatabase(database);
    const owner = await createOwner(database.db, {
      email: OWNER,
      merchantName: 'The Roastery',
      password: 'a long enough passphrase',
    });
    return owner.merchantId;
  });
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm run bind-skill', () => {
  it('refuses while a server holds the embedded store, and binds nothing', async () => {
    const held = await openDatabase({ dataDir });
    try {
      const run = await bindSkill(['--merchant-email', OWNER, '--skill-id', SKILL]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/open in a running server.*Stop the server first/s);
      expect(await listSkills(held.db, merchantId)).toEqual([]);
    } finally {
      await held.close();
    }
  }, 60_000);

  it('refuses a malformed id, a missing argument and an unknown member, binding nothing', async () => {
    const malformed = await bindSkill(['--merchant-email', OWNER, '--skill-id', 'amzn1.ask.skill.nope']);
    expect(malformed.code).toBe(2);
    expect(malformed.output).toMatch(/amzn1\.ask\.skill\./);
    const missing = await bindSkill(['--skill-id', SKILL]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/--merchant-email and --skill-id are required/);
    const unknown = await bindSkill(['--merchant-email', 'nobody@x.example', '--skill-id', SKILL]);
    expect(unknown.code, unknown.output).toBe(1);
    expect(unknown.output).toMatch(/no member has the address nobody@x\.example/);
    expect(await withStore((d) => listSkills(d.db, merchantId))).toEqual([]);
  }, 60_000);

  it('binds the skill to the member’s merchant; a second bind is the generic refusal', async () => {
    const run = await bindSkill([
      '--merchant-email',
      OWNER.toLowerCase(),
      '--skill-id',
      SKILL,
      '--name',
      'Roastery',
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Bound amzn1\.ask\.skill\.11111111.* to "The Roastery"/);
    expect(await withStore((d) => listSkills(d.db, merchantId))).toMatchObject([
      { id: SKILL, name: 'Roastery' },
    ]);
    const again = await bindSkill(['--merchant-email', OWNER, '--skill-id', SKILL]);
    expect(again.code).toBe(1);
    expect(again.output).toContain(SKILL_REFUSED);
  }, 60_000);
});
