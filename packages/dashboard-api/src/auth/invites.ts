import { hashPassword, hashToken, memberInvites, members, merchants, type PitchlineTx } from '@pitchline/db';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Settings } from '../deps';
import { writeAudit } from './audit';
import type { Caller, Role } from './caller';
import { refusalOf } from './one-time-links';
import { newSecret } from './secrets';

/** An invite link works for three days: long enough to reach someone on leave for a weekend. */
export const INVITE_TTL_MS = 72 * 3_600_000;

export class InviteError extends Error {
  override name = 'InviteError';
}

export async function createInvite(
  settings: Settings,
  owner: Extract<Caller, { kind: 'session' }>,
  input: { email: string; role: Role },
) {
  const now = settings.now();
  const token = newSecret();
  return settings.db.transaction(async (tx) => {
    const [already] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.merchantId, owner.merchantId), eq(sql`lower(${members.email})`, input.email)));
    if (already) throw new InviteError(`${input.email} is already a member`);
    const [invite] = await tx
      .insert(memberInvites)
      .values({
        merchantId: owner.merchantId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        createdBy: owner.memberId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      })
      .returning({
        id: memberInvites.id,
        email: memberInvites.email,
        role: memberInvites.role,
        expiresAt: memberInvites.expiresAt,
      });
    if (!invite) throw new Error('invite insert returned no row');
    await writeAudit(tx, {
      merchantId: owner.merchantId,
      action: 'invite_created',
      actorMemberId: owner.memberId,
      actor: owner.email,
      target: invite.email,
      details: { role: invite.role },
      at: now,
    });
    return { ...invite, token };
  });
}

/** Invites not yet used nor expired, for the members page. */
export async function pendingInvites(settings: Settings, merchantId: string) {
  return settings.db
    .select({
      id: memberInvites.id,
      email: memberInvites.email,
      role: memberInvites.role,
      createdAt: memberInvites.createdAt,
      expiresAt: memberInvites.expiresAt,
    })
    .from(memberInvites)
    .where(
      and(
        eq(memberInvites.merchantId, merchantId),
        isNull(memberInvites.usedAt),
        gt(memberInvites.expiresAt, settings.now()),
      ),
    )
    .orderBy(desc(memberInvites.createdAt));
}

/** What the invite page shows before the form is filled; LinkRefused when the link would be refused. */
export async function previewInvite(settings: Settings, token: string) {
  const [row] = await settings.db
    .select({
      email: memberInvites.email,
      role: memberInvites.role,
      expiresAt: memberInvites.expiresAt,
      usedAt: memberInvites.usedAt,
      merchantName: merchants.name,
    })
    .from(memberInvites)
    .innerJoin(merchants, eq(merchants.id, memberInvites.merchantId))
    .where(eq(memberInvites.tokenHash, hashToken(token)));
  const now = settings.now();
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw refusalOf(row, now);
  return { email: row.email, role: row.role, merchantName: row.merchantName, expiresAt: row.expiresAt };
}

/**
 * Spends the invite and makes the member in one transaction: the UPDATE … WHERE used_at IS NULL is
 * the single use, and a refusal after it (the address already signs in) rolls the spending back.
 */
export async function acceptInvite(settings: Settings, token: string, password: string) {
  const now = settings.now();
  const passwordHash = await hashPassword(password);
  return settings.db.transaction(async (tx) => {
    const [invite] = await tx
      .update(memberInvites)
      .set({ usedAt: now })
      .where(
        and(
          eq(memberInvites.tokenHash, hashToken(token)),
          isNull(memberInvites.usedAt),
          gt(memberInvites.expiresAt, now),
        ),
      )
      .returning({
        merchantId: memberInvites.merchantId,
        email: memberInvites.email,
        role: memberInvites.role,
      });
    if (!invite) throw refusalOf(await inviteState(tx, token), now);
    const [taken] = await tx
      .select({ merchantId: members.merchantId })
      .from(members)
      .where(eq(sql`lower(${members.email})`, invite.email));
    if (taken) {
      // One address signs in to one merchant (members.email is unique): an existing account cannot
      // take a second membership. The holder of the link owns the address, so saying so leaks nothing.
      throw new InviteError(
        taken.merchantId === invite.merchantId
          ? `${invite.email} is already a member; sign in instead`
          : `${invite.email} already signs in to another Pitchline account; ask for an invite to another address`,
      );
    }
    const [member] = await tx
      .insert(members)
      .values({
        merchantId: invite.merchantId,
        email: invite.email,
        passwordHash,
        role: invite.role,
        createdAt: now,
      })
      .returning({
        id: members.id,
        merchantId: members.merchantId,
        email: members.email,
        role: members.role,
      });
    if (!member) throw new Error('member insert returned no row');
    for (const action of ['invite_accepted', 'member_added'] as const) {
      await writeAudit(tx, {
        merchantId: member.merchantId,
        action,
        actorMemberId: member.id,
        actor: member.email,
        target: member.email,
        details: { role: member.role },
        at: now,
      });
    }
    return member;
  });
}

async function inviteState(tx: PitchlineTx, token: string) {
  const [row] = await tx
    .select({ usedAt: memberInvites.usedAt, expiresAt: memberInvites.expiresAt })
    .from(memberInvites)
    .where(eq(memberInvites.tokenHash, hashToken(token)));
  return row;
}
