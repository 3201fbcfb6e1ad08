import { MEMBER_ROLES } from '@pitchline/db';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import { writeSessionCookie } from '../auth/cookies';
import { acceptInvite, createInvite, InviteError, pendingInvites, previewInvite } from '../auth/invites';
import { authenticate, csrfToken, requireOwnerSession } from '../auth/middleware';
import { LinkRefused } from '../auth/one-time-links';
import { newPasswordSchema } from '../auth/passwords';
import { createSession, sessionCaller } from '../auth/sessions';
import type { Settings } from '../deps';
import { conflict } from '../http/errors';
import { validate } from '../http/validate';
import { whoAmI } from './who-am-i';

const inviteBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()).check(z.maxLength(320)),
  role: z.enum(MEMBER_ROLES),
});
/** Link tokens are 43 base64url characters; anything longer is refused before hashing. */
export const linkToken = z.string().min(1).max(200);
const acceptBody = z.object({ token: linkToken, password: newPasswordSchema });

/** A refused link: 404 for a token no link has, 410 for one that was used or has expired. */
export function linkRefused(c: Context, error: unknown) {
  if (!(error instanceof LinkRefused)) throw error;
  return c.json(
    {
      error: error.reason === 'unknown' ? ('invalid_link' as const) : ('link_gone' as const),
      reason: error.message,
    },
    error.reason === 'unknown' ? 404 : 410,
  );
}

/**
 * Invites: owners make them (the answer carries the link's token, shown once); whoever holds the link
 * previews it and accepts it without being signed in, and is signed in as the new member.
 */
export function inviteRoutes(settings: Settings) {
  const owners = [authenticate(settings), csrfToken(), requireOwnerSession()] as const;
  return new Hono<DashboardEnv>()
    .get('/', ...owners, async (c) =>
      c.json({ invites: await pendingInvites(settings, c.get('caller').merchantId) }, 200),
    )
    .post('/', ...owners, validate('json', inviteBody), async (c) => {
      const caller = c.get('caller');
      if (caller.kind !== 'session') throw new Error('requireOwnerSession let a key through');
      try {
        return c.json({ invite: await createInvite(settings, caller, c.req.valid('json')) }, 201);
      } catch (error) {
        if (error instanceof InviteError) return conflict(c, error.message);
        throw error;
      }
    })
    .get('/preview', validate('query', z.object({ token: linkToken })), async (c) => {
      try {
        return c.json({ invite: await previewInvite(settings, c.req.valid('query').token) }, 200);
      } catch (error) {
        return linkRefused(c, error);
      }
    })
    .post('/accept', validate('json', acceptBody), async (c) => {
      const { token, password } = c.req.valid('json');
      try {
        const member = await acceptInvite(settings, token, password);
        const session = await createSession(settings, member.id, c.req.header('user-agent'));
        writeSessionCookie(c, settings, session.token, session.expiresAt);
        return c.json(await whoAmI(settings, sessionCaller(member, session)), 200);
      } catch (error) {
        if (error instanceof InviteError) return conflict(c, error.message);
        return linkRefused(c, error);
      }
    });
}
