/*
 * Why a one-time link (invite, password reset) was refused. The link's holder is the person it was
 * made for, so telling "expired" from "used" helps them and tells an attacker nothing a 256-bit token
 * did not already protect.
 */
export type LinkRefusal = 'unknown' | 'expired' | 'used';

export class LinkRefused extends Error {
  override name = 'LinkRefused';
  constructor(readonly reason: LinkRefusal) {
    super(
      reason === 'unknown'
        ? 'this link is not valid; ask an owner for a new one'
        : reason === 'expired'
          ? 'this link has expired; ask an owner for a new one'
          : 'this link was already used; ask an owner for a new one',
    );
  }
}

/** The refusal for a row the spending UPDATE did not take (none, used, or past its expiry). */
export function refusalOf(row: { usedAt: Date | null; expiresAt: Date } | undefined, now: Date): LinkRefused {
  if (!row) return new LinkRefused('unknown');
  if (row.usedAt) return new LinkRefused('used');
  if (row.expiresAt.getTime() <= now.getTime()) return new LinkRefused('expired');
  // The UPDATE lost a race with another use of the same link.
  return new LinkRefused('used');
}
