import { type ApiKeyScope, apiKeys, hashToken } from '@pitchline/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Settings } from '../deps';
import { auditActor, writeAudit } from './audit';
import type { Caller } from './caller';
import { newSecret } from './secrets';

export const API_KEY_PREFIX = 'plk_';
/** How much of a key the list shows: enough to tell keys apart, far too little to use one. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** A key lives at most a year: a forgotten key in a script stops working on its own. */
export const MAX_API_KEY_DAYS = 365;

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  scopes: apiKeys.scopes,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type NewApiKeyInput = { name: string; scopes: ApiKeyScope[]; expiresInDays: number };

export async function createApiKey(
  settings: Settings,
  caller: Extract<Caller, { kind: 'session' }>,
  input: NewApiKeyInput,
) {
  const key = newSecret(API_KEY_PREFIX);
  const now = settings.now();
  return settings.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        merchantId: caller.merchantId,
        name: input.name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        keyHash: hashToken(key),
        scopes: [...new Set(input.scopes)],
        createdBy: caller.memberId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      })
      .returning(publicColumns);
    if (!row) throw new Error('api key insert returned no row');
    await writeAudit(tx, {
      merchantId: caller.merchantId,
      action: 'api_key_created',
      ...auditActor(caller),
      target: `${row.name} (${row.prefix}…)`,
      details: { scopes: row.scopes, expiresAt: row.expiresAt.toISOString() },
      at: now,
    });
    return { ...row, key };
  });
}

export async function listApiKeys(settings: Settings, merchantId: string) {
  return settings.db
    .select(publicColumns)
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt));
}

/** False when no live key of this merchant has that id (another merchant's counts as none). */
export async function revokeApiKey(settings: Settings, caller: Caller, id: string): Promise<boolean> {
  const now = settings.now();
  return settings.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, caller.merchantId), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    if (!revoked) return false;
    await writeAudit(tx, {
      merchantId: caller.merchantId,
      action: 'api_key_revoked',
      ...auditActor(caller),
      target: `${revoked.name} (${revoked.prefix}…)`,
      at: now,
    });
    return true;
  });
}

/** `last_used_at` is a hint for owners ("is this key still used?"), so it is written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The caller a bearer key stands for; undefined for an unknown, revoked or expired key. */
export async function resolveApiKey(settings: Settings, key: string): Promise<Caller | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const now = settings.now();
  const [row] = await settings.db
    .select({
      id: apiKeys.id,
      merchantId: apiKeys.merchantId,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdBy: apiKeys.createdBy,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  if (row.expiresAt.getTime() <= now.getTime()) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await settings.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return {
    kind: 'api_key',
    merchantId: row.merchantId,
    apiKeyId: row.id,
    apiKeyPrefix: row.prefix,
    role: 'analyst',
    scopes: row.scopes,
    actingMemberId: row.createdBy,
  };
}
