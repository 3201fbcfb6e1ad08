import {
  getAmazonConnection,
  type PitchlineDb,
  saveAmazonConnection,
  updateAmazonTokens,
} from '@pitchline/db';
import type { AmazonConfig } from './config';
import { AmazonError } from './errors';
import { exchangeCode, refreshTokens } from './lwa';
import { tokenSealer } from './sealing';
import { type ListedSkill, listAccountSkills } from './smapi';

/** An access token this close to its expiry is refreshed first, so it does not lapse mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

export type AmazonAccounts = {
  /** Exchanges the callback's code and stores the merchant's tokens, sealed. */
  connect(merchantId: string, memberId: string, code: string): Promise<void>;
  /** Whether the merchant has connected an Amazon account. */
  connected(merchantId: string): Promise<boolean>;
  /**
   * The skills the merchant's Amazon account lists; undefined when none is connected. An expired access
   * token is refreshed first; a 401 from SMAPI refreshes once more and retries once.
   */
  listSkills(merchantId: string): Promise<ListedSkill[] | undefined>;
};

export function amazonAccounts(db: PitchlineDb, config: AmazonConfig, now: () => Date): AmazonAccounts {
  const sealer = tokenSealer(config.tokenKey);

  async function refresh(merchantId: string, refreshToken: string): Promise<string> {
    const tokens = await refreshTokens(config, refreshToken, now());
    await updateAmazonTokens(db, merchantId, {
      accessTokenSealed: sealer.seal(tokens.accessToken, merchantId),
      accessTokenExpiresAt: tokens.expiresAt,
      // LWA may rotate the refresh token; the new one replaces the old.
      ...(tokens.refreshToken ? { refreshTokenSealed: sealer.seal(tokens.refreshToken, merchantId) } : {}),
    });
    return tokens.accessToken;
  }

  return {
    async connect(merchantId, memberId, code) {
      const tokens = await exchangeCode(config, code, now());
      await saveAmazonConnection(db, {
        merchantId,
        memberId,
        refreshTokenSealed: sealer.seal(tokens.refreshToken, merchantId),
        accessTokenSealed: sealer.seal(tokens.accessToken, merchantId),
        accessTokenExpiresAt: tokens.expiresAt,
      });
    },
    async connected(merchantId) {
      return (await getAmazonConnection(db, merchantId)) !== undefined;
    },
    async listSkills(merchantId) {
      const row = await getAmazonConnection(db, merchantId);
      if (!row) return undefined;
      const refreshToken = sealer.open(row.refreshTokenSealed, merchantId);
      const fresh =
        row.accessTokenSealed !== null &&
        row.accessTokenExpiresAt !== null &&
        row.accessTokenExpiresAt.getTime() - EXPIRY_MARGIN_MS > now().getTime();
      let accessToken =
        fresh && row.accessTokenSealed !== null
          ? sealer.open(row.accessTokenSealed, merchantId)
          : await refresh(merchantId, refreshToken);
      try {
        return await listAccountSkills(config, accessToken);
      } catch (error) {
        // Revoked or expired early on Amazon's side: one refresh and one retry, never a loop.
        if (!(error instanceof AmazonError) || error.kind !== 'unauthorized') throw error;
        accessToken = await refresh(merchantId, refreshToken);
        return listAccountSkills(config, accessToken);
      }
    },
  };
}
