import { hashPassword, members, verifyPassword } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../auth/audit';
import type { DashboardEnv } from '../auth/caller';
import { clearSessionCookie, writeSessionCookie } from '../auth/cookies';
import {
  clearEmailFailures,
  loginRetryAfter,
  recordLoginFailure,
  sweepLoginAttempts,
} from '../auth/login-limiter';
import { previewPasswordReset, signOutEverywhere, usePasswordReset } from '../auth/membership';
import { authenticate, csrfToken, requireSession } from '../auth/middleware';
import { newPasswordSchema } from '../auth/passwords';
import { createSession, deleteSession, sessionCaller, sweepExpiredSessions } from '../auth/sessions';
import type { Settings } from '../deps';
import { validate } from '../http/validate';
import { linkRefused, linkToken } from './invites';
import { whoAmI } from './who-am-i';

const resetBody = z.object({ token: linkToken, password: newPasswordSchema });

const loginBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()).check(z.maxLength(320)),
  // Bounded so a megabyte "password" cannot make scrypt the attack.
  password: z.string().min(1).max(1024),
});

/**
 * Unknown addresses are checked against this hash too, so a login takes about as long whether or not
 * the address exists and timing does not tell which members exist.
 */
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= hashPassword('pitchline-dummy-password-never-matches');
  return dummyHash;
};

export function authRoutes(settings: Settings) {
  // Made now, so the first unknown address does not pay for hashing on top of verifying.
  void getDummyHash();
  return (
    new Hono<DashboardEnv>()
      .post('/login', validate('json', loginBody), async (c) => {
        const { email, password } = c.req.valid('json');
        const keys = { email, ip: settings.clientIp(c) };
        const retryAfter = await loginRetryAfter(settings, keys);
        if (retryAfter > 0) {
          c.header('Retry-After', String(retryAfter));
          return c.json(
            {
              error: 'too_many_attempts' as const,
              reason: 'too many failed logins; try again later',
              retryAfter,
            },
            429,
          );
        }
        const [member] = await settings.db
          .select({
            id: members.id,
            passwordHash: members.passwordHash,
            merchantId: members.merchantId,
            email: members.email,
            role: members.role,
          })
          .from(members)
          .where(eq(members.email, email));
        const ok = await verifyPassword(password, member?.passwordHash ?? (await getDummyHash()));
        if (!member || !ok) {
          await recordLoginFailure(settings, keys);
          // Only a known address has a merchant whose owners should see the attempt; guesses at
          // unknown addresses are the limiter's business.
          if (member) {
            await writeAudit(settings.db, {
              merchantId: member.merchantId,
              action: 'sign_in_failed',
              actorMemberId: null,
              actor: member.email,
              target: member.email,
              details: { ip: keys.ip ?? null },
              at: settings.now(),
            });
          }
          await sweepLoginAttempts(settings);
          return c.json({ error: 'invalid_credentials' as const }, 401);
        }
        await clearEmailFailures(settings, email);
        await sweepExpiredSessions(settings);
        const session = await createSession(settings, member.id, c.req.header('user-agent'));
        await writeAudit(settings.db, {
          merchantId: member.merchantId,
          action: 'sign_in',
          actorMemberId: member.id,
          actor: member.email,
          details: { ip: keys.ip ?? null },
          at: settings.now(),
        });
        writeSessionCookie(c, settings, session.token, session.expiresAt);
        return c.json(await whoAmI(settings, sessionCaller(member, session)), 200);
      })
      // Middleware per route, not a `use` on this app: a `use` would also run in front of /login.
      .get('/me', authenticate(settings), async (c) => c.json(await whoAmI(settings, c.get('caller')), 200))
      .post('/logout', authenticate(settings), csrfToken(), async (c) => {
        const caller = c.get('caller');
        if (caller.kind === 'session') await deleteSession(settings, caller.sessionId);
        clearSessionCookie(c, settings);
        return c.body(null, 204);
      })
      .post('/sign-out-everywhere', authenticate(settings), csrfToken(), requireSession(), async (c) => {
        const caller = c.get('caller');
        if (caller.kind !== 'session') throw new Error('requireSession let a key through');
        await signOutEverywhere(settings, caller);
        clearSessionCookie(c, settings);
        return c.body(null, 204);
      })
      // A reset link's holder is not signed in: the token is the credential.
      .get('/reset/preview', validate('query', z.object({ token: linkToken })), async (c) => {
        try {
          return c.json({ reset: await previewPasswordReset(settings, c.req.valid('query').token) }, 200);
        } catch (error) {
          return linkRefused(c, error);
        }
      })
      .post('/reset', validate('json', resetBody), async (c) => {
        const { token, password } = c.req.valid('json');
        try {
          await usePasswordReset(settings, token, password);
          return c.body(null, 204);
        } catch (error) {
          return linkRefused(c, error);
        }
      })
  );
}
