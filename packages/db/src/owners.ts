import { count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PitchlineDb } from './open';
import { hashPassword } from './passwords';
import { members, merchants } from './schema';

/*
 * The first owner of a production install: a merchant and its owner member, made together by the
 * create-owner CLI or the one-time setup link, never with default credentials.
 */

export const newOwnerSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'email accepts an e-mail address' }))
    .check(z.maxLength(320)),
  merchantName: z
    .string()
    .trim()
    .min(1, 'merchant name must not be empty')
    .max(200, 'merchant name accepts at most 200 characters'),
  // The same bounds a login accepts (its schema caps the password at 1024), plus a floor: an owner
  // controls payments and API keys.
  password: z
    .string()
    .min(12, 'password needs at least 12 characters')
    .max(1024, 'password accepts at most 1024 characters'),
});
export type NewOwner = z.input<typeof newOwnerSchema>;

export class OwnerError extends Error {
  override name = 'OwnerError';
}

/** How many merchants exist: a production start with none prints a setup link. */
export async function countMerchants(db: PitchlineDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(merchants);
  return row?.n ?? 0;
}

/**
 * Creates a merchant and its owner in one transaction. Refuses (OwnerError, nothing written) invalid
 * input and an e-mail address that already signs in somewhere.
 */
export async function createOwner(
  db: PitchlineDb,
  input: NewOwner,
): Promise<{ merchantId: string; memberId: string; email: string }> {
  const parsed = newOwnerSchema.safeParse(input);
  if (!parsed.success) throw new OwnerError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { email, merchantName, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: members.id })
      .from(members)
      .where(eq(sql`lower(${members.email})`, email));
    if (taken) throw new OwnerError(`${email} is already a member; choose another e-mail address`);
    const [merchant] = await tx
      .insert(merchants)
      .values({ name: merchantName })
      .returning({ id: merchants.id });
    if (!merchant) throw new Error('merchant insert returned no row');
    const [member] = await tx
      .insert(members)
      .values({ merchantId: merchant.id, email, passwordHash, role: 'owner' })
      .returning({ id: members.id });
    if (!member) throw new Error('member insert returned no row');
    return { merchantId: merchant.id, memberId: member.id, email };
  });
}
