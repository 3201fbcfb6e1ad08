import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_KEYS, tryAdvisoryLock } from './advisory-lock';
import { claimJobRun, finishJobRun, listJobRuns } from './job-runs';
import { openDatabase, type PitchlineDb } from './open';
import { countMerchants, createOwner, OwnerError } from './owners';
import { verifyPassword } from './passwords';
import { createOwnerWithSetupToken, issueSetupToken, setupTokenValid } from './setup-tokens';
import { openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
if (postgresSkip)
  console.warn(`[@pitchline/db] skipping the first-owner and job-ledger tests: ${postgresSkip}`);

const owner = { email: 'Owner@Shop.example', merchantName: 'Shop', password: 'correct horse battery' };

(postgresSkip ? describe.skip : describe)(
  'first owner, setup links, job ledger and locks (PostgreSQL)',
  () => {
    let database: TestDatabase;
    let db: PitchlineDb;

    beforeAll(async () => {
      database = await openTestDatabase('postgres', { postgresUrl: PG_TEST_URL });
      db = database.db;
    }, 60_000);
    afterAll(async () => database?.close());

    it('creates a merchant with its owner, and refuses bad input or a taken e-mail writing nothing', async () => {
      expect(await countMerchants(db)).toBe(0);
      await expect(createOwner(db, { ...owner, password: 'short' })).rejects.toThrow(
        /at least 12 characters/,
      );
      await expect(createOwner(db, { ...owner, email: 'nope' })).rejects.toThrow(OwnerError);
      expect(await countMerchants(db)).toBe(0);
      const created = await createOwner(db, owner);
      expect(created.email).toBe('owner@shop.example');
      const member = await db.query.members.findFirst({ where: (m, { eq }) => eq(m.id, created.memberId) });
      expect(member?.role).toBe('owner');
      expect(await verifyPassword(owner.password, member?.passwordHash ?? '')).toBe(true);
      await expect(createOwner(db, { ...owner, merchantName: 'Again' })).rejects.toThrow(/already a member/);
      expect(await countMerchants(db)).toBe(1);
    });

    it('a setup link works once, before it expires, and a refused form leaves it usable', async () => {
      const now = new Date('2026-12-07T20:00:00Z');
      const { token } = await issueSetupToken(db, { now });
      expect(await setupTokenValid(db, token, now)).toBe(true);
      const second = { ...owner, email: 'second@shop.example' };
      await expect(createOwnerWithSetupToken(db, token, { ...second, password: 'x' }, now)).rejects.toThrow(
        /at least 12/,
      );
      expect(await setupTokenValid(db, token, now)).toBe(true);
      await createOwnerWithSetupToken(db, token, second, now);
      await expect(
        createOwnerWithSetupToken(db, token, { ...second, email: 'third@shop.example' }, now),
      ).rejects.toThrow(/invalid, expired or already used/);

      const expiring = await issueSetupToken(db, { now });
      const later = new Date(now.getTime() + 3_600_001);
      expect(await setupTokenValid(db, expiring.token, later)).toBe(false);
      await expect(
        createOwnerWithSetupToken(db, expiring.token, { ...owner, email: 'late@shop.example' }, later),
      ).rejects.toThrow(/expired/);
      expect(await setupTokenValid(db, 'made-up', now)).toBe(false);
    });

    it('claims a job slot once, whoever asks', async () => {
      const first = await claimJobRun(db, { job: 'j', slot: '1', instance: 'a' });
      expect(first).not.toBeNull();
      expect(await claimJobRun(db, { job: 'j', slot: '1', instance: 'b' })).toBeNull();
      await finishJobRun(db, first as string);
      const runs = await listJobRuns(db, 'j');
      expect(runs.map((r) => [r.slot, r.instance, r.finishedAt !== null])).toEqual([['1', 'a', true]]);
    });

    it('gives the scheduler lock to one session until it is released', async () => {
      // A second process's view: another pool on the same database (advisory locks are per database).
      const other = await openDatabase({
        databaseUrl: database.location,
        dataDir: tmpdir(),
        maxConnections: 2,
      });
      try {
        const held = await tryAdvisoryLock(database, LOCK_KEYS.scheduler + 1000);
        expect(held?.held()).toBe(true);
        expect(await tryAdvisoryLock(other, LOCK_KEYS.scheduler + 1000)).toBeNull();
        await held?.release();
        const taken = await tryAdvisoryLock(other, LOCK_KEYS.scheduler + 1000);
        expect(taken?.held()).toBe(true);
        await taken?.release();
      } finally {
        await other.close();
      }
    });
  },
);
