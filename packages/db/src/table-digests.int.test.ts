import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { merchants } from './schema';
import { seedDemo } from './seed';
import { openTestDatabase, type TestDatabase, tableDigests } from './testing';

let database: TestDatabase;
let merchantId: string;
beforeAll(async () => {
  database = await openTestDatabase('pglite');
  merchantId = (await seedDemo(database.db)).merchantId;
}, 60_000);
afterAll(() => database?.close());

it('tableDigests changes for exactly the table whose rows changed, and not for ignored columns', async () => {
  const before = await tableDigests(database.db);
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['merchants', 'members', 'orders']));
  expect(await tableDigests(database.db)).toEqual(before);

  await database.db.update(merchants).set({ name: 'Renamed' }).where(eq(merchants.id, merchantId));
  const after = await tableDigests(database.db);
  expect(after.merchants).not.toBe(before.merchants);
  expect({ ...after, merchants: '' }).toEqual({ ...before, merchants: '' });

  const ignoring = await tableDigests(database.db, { merchants: ['name'] });
  await database.db.update(merchants).set({ name: 'Renamed again' }).where(eq(merchants.id, merchantId));
  expect(await tableDigests(database.db, { merchants: ['name'] })).toEqual(ignoring);
});
