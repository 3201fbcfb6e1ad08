import { type AuditAction, auditLog, type PitchlineDb, type PitchlineTx } from '@pitchline/db';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Caller } from './caller';

/*
 * The audit log: one row per security-relevant action of a merchant. Callers pass the transaction of
 * the action when there is one, so an action and its entry are written together or not at all.
 */

export type AuditEntryInput = {
  merchantId: string;
  action: AuditAction;
  actorMemberId: string | null;
  actor: string;
  target?: string | null;
  details?: Record<string, unknown>;
  at: Date;
};

export async function writeAudit(db: PitchlineDb | PitchlineTx, entry: AuditEntryInput): Promise<void> {
  await db.insert(auditLog).values({
    merchantId: entry.merchantId,
    action: entry.action,
    actorMemberId: entry.actorMemberId,
    actor: entry.actor.slice(0, 400),
    target: entry.target?.slice(0, 400) ?? null,
    details: entry.details ?? {},
    at: entry.at,
  });
}

/** Who a caller is, as the audit log names them. */
export function auditActor(caller: Caller): Pick<AuditEntryInput, 'actorMemberId' | 'actor'> {
  return caller.kind === 'session'
    ? { actorMemberId: caller.memberId, actor: caller.email }
    : { actorMemberId: caller.actingMemberId, actor: `API key ${caller.apiKeyPrefix}` };
}

export type AuditCursor = { at: Date; id: string };

/** One page of a merchant's entries, newest first; the cursor is the last entry of the previous page. */
export async function listAudit(db: PitchlineDb, merchantId: string, limit: number, after?: AuditCursor) {
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      actor: auditLog.actor,
      target: auditLog.target,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.merchantId, merchantId),
        after
          ? or(lt(auditLog.at, after.at), and(eq(auditLog.at, after.at), lt(auditLog.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page,
    nextCursor: rows.length > limit && last ? `${last.at.toISOString()}_${last.id}` : null,
  };
}
