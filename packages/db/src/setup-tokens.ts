import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import { createOwner, type NewOwner, OwnerError } from './owners';
import { setupTokens } from './schema';
import { hashToken } from './tokens';

/** A setup link is good for an hour: long enough to open it after a deploy, short enough to leak little. */
export const SETUP_TOKEN_TTL_MS = 3_600_000;

/** Makes a one-time setup token; only its hash is stored. */
export async function issueSetupToken(
  db: PitchlineDb,
  options: { now?: Date; ttlMs?: number } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + (options.ttlMs ?? SETUP_TOKEN_TTL_MS));
  await db.insert(setupTokens).values({ tokenHash: hashToken(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** Whether a token would be accepted now (for the setup page, before the form is filled). */
export async function setupTokenValid(db: PitchlineDb, token: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: setupTokens.id })
    .from(setupTokens)
    .where(
      and(
        eq(setupTokens.tokenHash, hashToken(token)),
        isNull(setupTokens.usedAt),
        gt(setupTokens.expiresAt, now),
      ),
    );
  return row !== undefined;
}

/**
 * Spends a setup token and creates the owner in one transaction: the token's UPDATE … WHERE used_at IS
 * NULL is the single use (a concurrent second use finds no row), and a refused owner rolls the spending
 * back so the link still works for a corrected form.
 */
export async function createOwnerWithSetupToken(
  db: PitchlineDb,
  token: string,
  owner: NewOwner,
  now = new Date(),
): Promise<{ merchantId: string; memberId: string; email: string }> {
  return db.transaction(async (tx) => {
    const spent = await tx
      .update(setupTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(setupTokens.tokenHash, hashToken(token)),
          isNull(setupTokens.usedAt),
          gt(setupTokens.expiresAt, now),
        ),
      )
      .returning({ id: setupTokens.id });
    if (spent.length === 0) throw new OwnerError('this setup link is invalid, expired or already used');
    return createOwner(tx as unknown as PitchlineDb, owner);
  });
}
