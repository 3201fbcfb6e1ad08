import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import { amazonConnections, amazonOauthStates } from './schema';
import { hashToken } from './tokens';

/*
 * The relational half of "Connect Amazon": pending OAuth states and each merchant's sealed LWA tokens.
 * Sealing (encryption) is the caller's: this module stores and returns opaque strings.
 */

/** Records a pending OAuth state (only its hash) bound to the session that started the round trip. */
export async function saveOauthState(
  db: PitchlineDb,
  input: { state: string; sessionId: string; now: Date; ttlMs: number },
): Promise<void> {
  // Expired states are useless; sweeping them here keeps the table as small as the live round trips.
  await db.delete(amazonOauthStates).where(lt(amazonOauthStates.expiresAt, input.now));
  await db.insert(amazonOauthStates).values({
    stateHash: hashToken(input.state),
    sessionId: input.sessionId,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.ttlMs),
  });
}

/**
 * Spends a state: true only for an unexpired, unused state started by this very session. The UPDATE …
 * WHERE used_at IS NULL is the single use, also against a concurrent second callback.
 */
export async function spendOauthState(
  db: PitchlineDb,
  input: { state: string; sessionId: string; now: Date },
): Promise<boolean> {
  const spent = await db
    .update(amazonOauthStates)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(amazonOauthStates.stateHash, hashToken(input.state)),
        eq(amazonOauthStates.sessionId, input.sessionId),
        isNull(amazonOauthStates.usedAt),
        gt(amazonOauthStates.expiresAt, input.now),
      ),
    )
    .returning({ id: amazonOauthStates.id });
  return spent.length > 0;
}

export type AmazonConnectionRow = {
  refreshTokenSealed: string;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  createdAt: Date;
};

export async function getAmazonConnection(
  db: PitchlineDb,
  merchantId: string,
): Promise<AmazonConnectionRow | undefined> {
  const [row] = await db
    .select({
      refreshTokenSealed: amazonConnections.refreshTokenSealed,
      accessTokenSealed: amazonConnections.accessTokenSealed,
      accessTokenExpiresAt: amazonConnections.accessTokenExpiresAt,
      createdAt: amazonConnections.createdAt,
    })
    .from(amazonConnections)
    .where(eq(amazonConnections.merchantId, merchantId))
    .limit(1);
  return row;
}

/** Connects (or reconnects, replacing the tokens of) the merchant's Amazon account. */
export async function saveAmazonConnection(
  db: PitchlineDb,
  input: {
    merchantId: string;
    memberId: string | null;
    refreshTokenSealed: string;
    accessTokenSealed: string;
    accessTokenExpiresAt: Date;
  },
): Promise<void> {
  const tokens = {
    refreshTokenSealed: input.refreshTokenSealed,
    accessTokenSealed: input.accessTokenSealed,
    accessTokenExpiresAt: input.accessTokenExpiresAt,
    connectedBy: input.memberId,
  };
  await db
    .insert(amazonConnections)
    .values({ merchantId: input.merchantId, ...tokens })
    .onConflictDoUpdate({ target: amazonConnections.merchantId, set: tokens });
}

/** Stores a refreshed access token (and the refresh token, when LWA rotated it). */
export async function updateAmazonTokens(
  db: PitchlineDb,
  merchantId: string,
  input: { accessTokenSealed: string; accessTokenExpiresAt: Date; refreshTokenSealed?: string },
): Promise<void> {
  await db.update(amazonConnections).set(input).where(eq(amazonConnections.merchantId, merchantId));
}

export async function removeAmazonConnection(db: PitchlineDb, merchantId: string): Promise<void> {
  await db.delete(amazonConnections).where(eq(amazonConnections.merchantId, merchantId));
}
