import { MEMBER_ROLES, members } from '@pitchline/db';
import { asc, eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Caller, DashboardEnv } from '../auth/caller';
import { changeRole, issuePasswordReset, MembershipError, removeMember } from '../auth/membership';
import { authenticate, csrfToken, requireOwnerSession, requireSession } from '../auth/middleware';
import type { Settings } from '../deps';
import { conflict, notFound } from '../http/errors';
import { isUuid } from '../http/ids';
import { validate } from '../http/validate';

const idParam = z.object({ id: z.string() });
const roleBody = z.object({ role: z.enum(MEMBER_ROLES) });

function ownerOf(caller: Caller) {
  if (caller.kind !== 'session') throw new Error('requireOwnerSession let a key through');
  return caller;
}

function membershipError(c: Context, error: unknown) {
  if (!(error instanceof MembershipError)) throw error;
  return error.code === 'not_found' ? notFound(c) : conflict(c, error.message);
}

/**
 * The merchant's team. E-mail addresses are personal: members see them, API keys do not. Changing
 * the team (role, removal, reset links) is for owners; every change ends the target's sessions.
 */
export function memberRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken(), requireSession())
    .get('/', async (c) => {
      const rows = await settings.db
        .select({ id: members.id, email: members.email, role: members.role, createdAt: members.createdAt })
        .from(members)
        .where(eq(members.merchantId, c.get('caller').merchantId))
        .orderBy(asc(members.createdAt), asc(members.email));
      return c.json({ members: rows }, 200);
    })
    .patch(
      '/:id',
      requireOwnerSession(),
      validate('param', idParam),
      validate('json', roleBody),
      async (c) => {
        const { id } = c.req.valid('param');
        if (!isUuid(id)) return notFound(c);
        try {
          const member = await changeRole(settings, ownerOf(c.get('caller')), id, c.req.valid('json').role);
          return c.json({ member }, 200);
        } catch (error) {
          return membershipError(c, error);
        }
      },
    )
    .delete('/:id', requireOwnerSession(), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!isUuid(id)) return notFound(c);
      try {
        await removeMember(settings, ownerOf(c.get('caller')), id);
        return c.body(null, 204);
      } catch (error) {
        return membershipError(c, error);
      }
    })
    .post('/:id/password-reset', requireOwnerSession(), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!isUuid(id)) return notFound(c);
      try {
        // The only time the token is shown: the owner hands the link over; only its hash is kept.
        const reset = await issuePasswordReset(settings, ownerOf(c.get('caller')), id);
        return c.json({ reset }, 201);
      } catch (error) {
        return membershipError(c, error);
      }
    });
}
