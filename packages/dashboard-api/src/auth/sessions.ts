import { newId } from '@pitchline/core';
import { hashToken, memberSessions, members } from '@pitchline/db';
import { eq, lte } from 'drizzle-orm';
import type { SessionPolicy, Settings } from '../deps';
import type { Caller, Role } from './caller';
import { csrfTokenFor, newSecret } from './secrets';

export type NewSession = { id: string; token: string; csrfToken: string; expiresAt: Date };

export async function createSession(
  settings: Settings,
  memberId: string,
  userAgent: string | undefined,
): Promise<NewSession> {
  const now = settings.now();
  const token = newSecret();
  const csrfToken = csrfTokenFor(token);
  const expiresAt = nextExpiry(now, now, settings.sessions);
  const id = newId();
  await settings.db.insert(memberSessions).values({
    id,
    memberId,
    tokenHash: hashToken(token),
    csrfTokenHash: hashToken(csrfToken),
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: userAgent?.slice(0, 500) ?? null,
  });
  return { id, token, csrfToken, expiresAt };
}

/** The caller a member becomes by signing in (or accepting an invite) with a session just created. */
export function sessionCaller(
  member: { id: string; merchantId: string; email: string; role: Role },
  session: Pick<NewSession, 'id' | 'csrfToken'>,
): Extract<Caller, { kind: 'session' }> {
  return {
    kind: 'session',
    merchantId: member.merchantId,
    memberId: member.id,
    email: member.email,
    role: member.role,
    sessionId: session.id,
    csrfToken: session.csrfToken,
  };
}

export type ResolvedSession = {
  caller: Extract<Caller, { kind: 'session' }>;
  /** Set when the expiry slid: the cookie must be sent again with the new lifetime. */
  renewedUntil: Date | undefined;
};

/** The live session a cookie token names, sliding its expiry; undefined when unknown or expired. */
export async function resolveSession(
  settings: Settings,
  token: string,
): Promise<ResolvedSession | undefined> {
  const now = settings.now();
  const [row] = await settings.db
    .select({
      id: memberSessions.id,
      createdAt: memberSessions.createdAt,
      expiresAt: memberSessions.expiresAt,
      lastSeenAt: memberSessions.lastSeenAt,
      memberId: members.id,
      merchantId: members.merchantId,
      email: members.email,
      role: members.role,
    })
    .from(memberSessions)
    .innerJoin(members, eq(members.id, memberSessions.memberId))
    .where(eq(memberSessions.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return undefined;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await settings.db.delete(memberSessions).where(eq(memberSessions.id, row.id));
    return undefined;
  }
  let renewedUntil: Date | undefined;
  if (now.getTime() - row.lastSeenAt.getTime() >= settings.sessions.renewEveryMs) {
    const expiresAt = nextExpiry(row.createdAt, now, settings.sessions);
    if (expiresAt.getTime() > row.expiresAt.getTime()) {
      await settings.db
        .update(memberSessions)
        .set({ expiresAt, lastSeenAt: now })
        .where(eq(memberSessions.id, row.id));
      renewedUntil = expiresAt;
    }
  }
  return {
    caller: {
      kind: 'session',
      merchantId: row.merchantId,
      memberId: row.memberId,
      email: row.email,
      role: row.role,
      sessionId: row.id,
      csrfToken: csrfTokenFor(token),
    },
    renewedUntil,
  };
}

export async function deleteSession(settings: Settings, sessionId: string): Promise<void> {
  await settings.db.delete(memberSessions).where(eq(memberSessions.id, sessionId));
}

/**
 * Expired rows are dead weight; each login deletes them all (an indexed range on expires_at), so the
 * table holds live sessions plus at most those that expired since the last login.
 */
export async function sweepExpiredSessions(settings: Settings): Promise<void> {
  await settings.db.delete(memberSessions).where(lte(memberSessions.expiresAt, settings.now()));
}

function nextExpiry(createdAt: Date, now: Date, policy: SessionPolicy): Date {
  return new Date(Math.min(now.getTime() + policy.idleMs, createdAt.getTime() + policy.absoluteMs));
}
