import { apiKeys, hashToken } from '@pitchline/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Settings } from '../deps';
import type { Caller } from './caller';
import { newSecret } from './secrets';

export const API_KEY_PREFIX = 'plk_';
/** How much of a key the list shows: enough to tell keys apart, far too little to use one. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export async function createApiKey(settings: Settings, merchantId: string, memberId: string, name: string) {
  const key = newSecret(API_KEY_PREFIX);
  const [row] = await settings.db
    .insert(apiKeys)
    .values({
      merchantId,
      name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashToken(key),
      createdBy: memberId,
      createdAt: settings.now(),
    })
    .returning(publicColumns);
  if (!row) throw new Error('api key insert returned no row');
  return { ...row, key };
}

export async function listApiKeys(settings: Settings, merchantId: string) {
  return settings.db
    .select(publicColumns)
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt));
}

/** False when no live key of this merchant has that id (another merchant's counts as none). */
export async function revokeApiKey(settings: Settings, merchantId: string, id: string): Promise<boolean> {
  const revoked = await settings.db
    .update(apiKeys)
    .set({ revokedAt: settings.now() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

/** `last_used_at` is a hint for owners ("is this key still used?"), so it is written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The caller a bearer key stands for; undefined for an unknown or revoked key. */
export async function resolveApiKey(settings: Settings, key: string): Promise<Caller | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const now = settings.now();
  const [row] = await settings.db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await settings.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { kind: 'api_key', merchantId: row.merchantId, apiKeyId: row.id, role: 'analyst' };
}
