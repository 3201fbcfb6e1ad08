import { newId } from '@pitchline/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSkill,
  getPaymentMode,
  listSkills,
  MerchantSettingsError,
  merchantsInPaymentMode,
  removeSkill,
  SKILL_REFUSED,
  setPaymentMode,
} from './merchant-settings';
import type { PitchlineDb } from './open';
import { merchants, orders, skills } from './schema';
import { DEMO_MERCHANT_ID, DEMO_SKILL_ID, seedDemo } from './seed';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
if (postgresSkip)
  console.warn(`[@pitchline/db] skipping the PostgreSQL half of merchant settings: ${postgresSkip}`);

/** The MerchantSettingsError an operation was refused with. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MerchantSettingsError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the operation to be refused');
}

const skillId = (n: number) => `amzn1.ask.skill.7c1e0b5a-3f2d-4e8a-9b6c-${String(n).padStart(12, '0')}`;

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`merchant settings on ${backend.kind}`, () => {
    let database: TestDatabase;
    let db: PitchlineDb;
    let other: string;

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL });
      db = database.db;
      await seedDemo(db);
      other = newId();
      await db.insert(merchants).values({ id: other, name: 'Other', currency: 'EUR' });
    }, 60_000);
    afterAll(async () => database?.close());

    it("lists only the merchant's own skills, oldest first", async () => {
      await addSkill(db, other, { id: skillId(1), name: 'Other shop' });
      const demo = await listSkills(db, DEMO_MERCHANT_ID);
      expect(demo.map((s) => s.id)).toEqual([DEMO_SKILL_ID]);
      expect(demo[0]).toMatchObject({ name: 'Northwind Coffee', createdAt: expect.any(Date) });
      expect((await listSkills(db, other)).map((s) => s.id)).toEqual([skillId(1)]);
    });

    it('adds a skill, trimming the name and folding the id to lower case', async () => {
      const added = await addSkill(db, DEMO_MERCHANT_ID, {
        id: `  ${skillId(2).toUpperCase().replace('AMZN1.ASK.SKILL.', 'amzn1.ask.skill.')} `,
        name: '  Northwind UK  ',
      });
      expect(added).toMatchObject({ id: skillId(2), name: 'Northwind UK' });
      expect((await listSkills(db, DEMO_MERCHANT_ID)).map((s) => s.id)).toEqual([DEMO_SKILL_ID, skillId(2)]);
    });

    it.each([
      ['no prefix', { id: '7c1e0b5a-3f2d-4e8a-9b6c-000000000009', name: 'x' }],
      ['wrong prefix', { id: 'amzn1.ask.device.7c1e0b5a-3f2d-4e8a-9b6c-000000000009', name: 'x' }],
      ['not a uuid', { id: 'amzn1.ask.skill.not-a-uuid', name: 'x' }],
      ['trailing text', { id: `${skillId(9)}; drop table skills`, name: 'x' }],
      ['empty name', { id: skillId(9), name: '   ' }],
      ['control characters', { id: skillId(9), name: 'bell\u0007' }],
      ['name too long', { id: skillId(9), name: 'n'.repeat(101) }],
    ])('refuses %s as invalid and stores nothing', async (_why, input) => {
      expect(await refusal(addSkill(db, DEMO_MERCHANT_ID, input))).toMatchObject({ code: 'invalid' });
      expect(
        await db
          .select()
          .from(skills)
          .where(eq(skills.id, skillId(9))),
      ).toEqual([]);
    });

    it('refuses a skill id another merchant holds with the generic answer, and leaves it with that merchant', async () => {
      const refused = await refusal(addSkill(db, DEMO_MERCHANT_ID, { id: skillId(1), name: 'Mine now' }));
      expect(refused).toEqual({
        code: 'skill_taken',
        message: SKILL_REFUSED,
      });
      const [row] = await db
        .select()
        .from(skills)
        .where(eq(skills.id, skillId(1)));
      expect(row).toMatchObject({ merchantId: other, name: 'Other shop' });
    });

    it('refuses a skill id the merchant already has, without renaming it', async () => {
      const refused = await refusal(addSkill(db, DEMO_MERCHANT_ID, { id: DEMO_SKILL_ID, name: 'Renamed' }));
      expect(refused).toEqual({
        code: 'skill_taken',
        message: SKILL_REFUSED,
      });
      expect((await listSkills(db, DEMO_MERCHANT_ID))[0]?.name).toBe('Northwind Coffee');
    });

    it('two merchants racing for one id: exactly one gets it', async () => {
      const results = await Promise.allSettled([
        addSkill(db, DEMO_MERCHANT_ID, { id: skillId(3), name: 'A' }),
        addSkill(db, other, { id: skillId(3), name: 'B' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect((rejected as PromiseRejectedResult | undefined)?.reason).toMatchObject({ code: 'skill_taken' });
      expect(
        await db
          .select()
          .from(skills)
          .where(eq(skills.id, skillId(3))),
      ).toHaveLength(1);
      // Either merchant may win; the tests below count each merchant's skills, so the id goes again.
      await db.delete(skills).where(eq(skills.id, skillId(3)));
    });

    it("removing another merchant's skill is not found and changes nothing", async () => {
      expect(await refusal(removeSkill(db, DEMO_MERCHANT_ID, skillId(1)))).toMatchObject({
        code: 'not_found',
      });
      expect(await refusal(removeSkill(db, DEMO_MERCHANT_ID, skillId(404)))).toMatchObject({
        code: 'not_found',
      });
      expect(await refusal(removeSkill(db, DEMO_MERCHANT_ID, "x' or '1'='1"))).toMatchObject({
        code: 'not_found',
      });
      expect((await listSkills(db, other)).map((s) => s.id)).toEqual([skillId(1)]);
    });

    it("removes the merchant's skill, the last one too", async () => {
      await removeSkill(db, other, skillId(1));
      expect(await listSkills(db, other)).toEqual([]);
    });

    it('a skill orders were placed through stays registered', async () => {
      await db.insert(orders).values({
        merchantId: DEMO_MERCHANT_ID,
        skillId: skillId(2),
        userId: 'u',
        sessionId: 's',
        amountTotal: 100,
        currency: 'USD',
      });
      expect(await refusal(removeSkill(db, DEMO_MERCHANT_ID, skillId(2)))).toMatchObject({
        code: 'skill_in_use',
      });
      expect((await listSkills(db, DEMO_MERCHANT_ID)).map((s) => s.id)).toContain(skillId(2));
    });

    it("reads and sets the merchant's payment mode, and only that merchant's", async () => {
      expect(await getPaymentMode(db, DEMO_MERCHANT_ID)).toBe('simulated');
      await setPaymentMode(db, DEMO_MERCHANT_ID, 'stripe');
      expect(await getPaymentMode(db, DEMO_MERCHANT_ID)).toBe('stripe');
      expect(await getPaymentMode(db, other)).toBe('simulated');
      const ids = async (mode: 'simulated' | 'stripe') =>
        (await merchantsInPaymentMode(db, mode)).map((m) => m.id);
      expect(await ids('stripe')).toContain(DEMO_MERCHANT_ID);
      expect(await ids('simulated')).not.toContain(DEMO_MERCHANT_ID);
      expect(await ids('simulated')).toContain(other);
      await setPaymentMode(db, DEMO_MERCHANT_ID, 'simulated');
      expect(await getPaymentMode(db, DEMO_MERCHANT_ID)).toBe('simulated');
      expect(await refusal(setPaymentMode(db, DEMO_MERCHANT_ID, 'paypal' as never))).toMatchObject({
        code: 'invalid',
      });
      expect(await refusal(getPaymentMode(db, newId()))).toMatchObject({ code: 'not_found' });
      expect(await refusal(setPaymentMode(db, newId(), 'stripe'))).toMatchObject({ code: 'not_found' });
    });
  });
}
