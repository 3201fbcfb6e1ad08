import {
  hashPassword,
  hashToken,
  memberSessions,
  members,
  type PitchlineTx,
  passwordResets,
} from '@pitchline/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Settings } from '../deps';
import { writeAudit } from './audit';
import type { Caller, Role } from './caller';
import { refusalOf } from './one-time-links';
import { newSecret } from './secrets';

/** A reset link works for an hour: it is handed over by an owner, not mailed into an inbox for days. */
export const PASSWORD_RESET_TTL_MS = 3_600_000;

type OwnerSession = Extract<Caller, { kind: 'session' }>;

export class MembershipError extends Error {
  override name = 'MembershipError';
  constructor(
    readonly code: 'not_found' | 'last_owner',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The merchant's members, locked for the rest of the transaction (FOR UPDATE) so two owners demoting
 * each other at once cannot both pass the last-owner check.
 */
async function lockTeam(tx: PitchlineTx, merchantId: string) {
  return tx
    .select({ id: members.id, email: members.email, role: members.role })
    .from(members)
    .where(eq(members.merchantId, merchantId))
    .for('update');
}

async function targetIn(tx: PitchlineTx, merchantId: string, memberId: string) {
  const team = await lockTeam(tx, merchantId);
  const target = team.find((m) => m.id === memberId);
  if (!target) throw new MembershipError('not_found', 'no such member');
  return { team, target };
}

const LAST_OWNER = 'a merchant keeps at least one owner: make another member owner first';

/** Ends every session of a member: their open browser is refused on its next request. */
async function endSessions(tx: PitchlineTx, memberId: string): Promise<number> {
  const ended = await tx
    .delete(memberSessions)
    .where(eq(memberSessions.memberId, memberId))
    .returning({ id: memberSessions.id });
  return ended.length;
}

export async function changeRole(settings: Settings, owner: OwnerSession, memberId: string, role: Role) {
  const now = settings.now();
  return settings.db.transaction(async (tx) => {
    const { team, target } = await targetIn(tx, owner.merchantId, memberId);
    if (target.role === role) return { id: target.id, email: target.email, role };
    const owners = team.filter((m) => m.role === 'owner');
    if (target.role === 'owner' && owners.length <= 1) throw new MembershipError('last_owner', LAST_OWNER);
    await tx.update(members).set({ role }).where(eq(members.id, target.id));
    // Sessions carry no role (it is read per request), but a changed role starts from a fresh sign-in
    // so nothing the member had open keeps acting under the old one.
    await endSessions(tx, target.id);
    await writeAudit(tx, {
      merchantId: owner.merchantId,
      action: 'role_changed',
      actorMemberId: owner.memberId,
      actor: owner.email,
      target: target.email,
      details: { from: target.role, to: role },
      at: now,
    });
    return { id: target.id, email: target.email, role };
  });
}

export async function removeMember(settings: Settings, owner: OwnerSession, memberId: string) {
  const now = settings.now();
  await settings.db.transaction(async (tx) => {
    const { team, target } = await targetIn(tx, owner.merchantId, memberId);
    if (target.role === 'owner' && team.filter((m) => m.role === 'owner').length <= 1) {
      throw new MembershipError('last_owner', LAST_OWNER);
    }
    // Explicit, although the foreign key cascades: the sessions' end is the point of this action.
    const sessionsEnded = await endSessions(tx, target.id);
    await tx.delete(members).where(eq(members.id, target.id));
    await writeAudit(tx, {
      merchantId: owner.merchantId,
      action: 'member_removed',
      // The owner may remove themself (when another owner remains): the reference would dangle.
      actorMemberId: owner.memberId === target.id ? null : owner.memberId,
      actor: owner.email,
      target: target.email,
      details: { role: target.role, sessionsEnded },
      at: now,
    });
  });
}

export async function issuePasswordReset(settings: Settings, owner: OwnerSession, memberId: string) {
  const now = settings.now();
  const token = newSecret();
  return settings.db.transaction(async (tx) => {
    const { target } = await targetIn(tx, owner.merchantId, memberId);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    await tx.insert(passwordResets).values({
      memberId: target.id,
      tokenHash: hashToken(token),
      createdBy: owner.memberId,
      createdAt: now,
      expiresAt,
    });
    await writeAudit(tx, {
      merchantId: owner.merchantId,
      action: 'password_reset_issued',
      actorMemberId: owner.memberId,
      actor: owner.email,
      target: target.email,
      at: now,
    });
    return { token, expiresAt, email: target.email };
  });
}

/** What the reset page shows before the form is filled; LinkRefused when the link would be refused. */
export async function previewPasswordReset(settings: Settings, token: string) {
  const [row] = await settings.db
    .select({ email: members.email, expiresAt: passwordResets.expiresAt, usedAt: passwordResets.usedAt })
    .from(passwordResets)
    .innerJoin(members, eq(members.id, passwordResets.memberId))
    .where(eq(passwordResets.tokenHash, hashToken(token)));
  const now = settings.now();
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw refusalOf(row, now);
  return { email: row.email, expiresAt: row.expiresAt };
}

/** Spends the link, sets the password and ends every session of that member, in one transaction. */
export async function usePasswordReset(settings: Settings, token: string, password: string) {
  const now = settings.now();
  const passwordHash = await hashPassword(password);
  await settings.db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, hashToken(token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning({ memberId: passwordResets.memberId });
    if (!reset) {
      const [state] = await tx
        .select({ usedAt: passwordResets.usedAt, expiresAt: passwordResets.expiresAt })
        .from(passwordResets)
        .where(eq(passwordResets.tokenHash, hashToken(token)));
      throw refusalOf(state, now);
    }
    const [member] = await tx
      .update(members)
      .set({ passwordHash })
      .where(eq(members.id, reset.memberId))
      .returning({ id: members.id, merchantId: members.merchantId, email: members.email });
    if (!member) throw new Error('the member of a live reset link is missing');
    const sessionsEnded = await endSessions(tx, member.id);
    await writeAudit(tx, {
      merchantId: member.merchantId,
      action: 'password_reset_used',
      actorMemberId: member.id,
      actor: member.email,
      target: member.email,
      details: { sessionsEnded },
      at: now,
    });
  });
}

/** "Sign out everywhere": every session of the caller ends, the current one included. */
export async function signOutEverywhere(settings: Settings, caller: Extract<Caller, { kind: 'session' }>) {
  const now = settings.now();
  await settings.db.transaction(async (tx) => {
    const sessionsEnded = await endSessions(tx, caller.memberId);
    await writeAudit(tx, {
      merchantId: caller.merchantId,
      action: 'sign_out_everywhere',
      actorMemberId: caller.memberId,
      actor: caller.email,
      details: { sessionsEnded },
      at: now,
    });
  });
}
