import { hashPassword, members, merchants, verifyPassword } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Caller, DashboardEnv } from '../auth/caller';
import { clearSessionCookie, writeSessionCookie } from '../auth/cookies';
import {
  clearEmailFailures,
  loginRetryAfter,
  recordLoginFailure,
  sweepLoginAttempts,
} from '../auth/login-limiter';
import { authenticate, csrfToken } from '../auth/middleware';
import { createSession, deleteSession, sweepExpiredSessions } from '../auth/sessions';
import type { Settings } from '../deps';
import { validate } from '../http/validate';

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

async function whoAmI(settings: Settings, caller: Caller) {
  const [merchant] = await settings.db
    .select({
      id: merchants.id,
      name: merchants.name,
      timezone: merchants.timezone,
      currency: merchants.currency,
    })
    .from(merchants)
    .where(eq(merchants.id, caller.merchantId));
  if (!merchant) throw new Error(`merchant ${caller.merchantId} of an authenticated caller is missing`);
  return caller.kind === 'session'
    ? {
        member: { id: caller.memberId, email: caller.email },
        apiKey: null,
        merchant,
        role: caller.role,
        csrfToken: caller.csrfToken,
      }
    : { member: null, apiKey: { id: caller.apiKeyId }, merchant, role: caller.role, csrfToken: null };
}

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
          await sweepLoginAttempts(settings);
          return c.json({ error: 'invalid_credentials' as const }, 401);
        }
        await clearEmailFailures(settings, email);
        await sweepExpiredSessions(settings);
        const session = await createSession(settings, member.id, c.req.header('user-agent'));
        writeSessionCookie(c, settings, session.token, session.expiresAt);
        const caller: Caller = {
          kind: 'session',
          merchantId: member.merchantId,
          memberId: member.id,
          email: member.email,
          role: member.role,
          sessionId: session.id,
          csrfToken: session.csrfToken,
        };
        return c.json(await whoAmI(settings, caller), 200);
      })
      // Middleware per route, not a `use` on this app: a `use` would also run in front of /login.
      .get('/me', authenticate(settings), async (c) => c.json(await whoAmI(settings, c.get('caller')), 200))
      .post('/logout', authenticate(settings), csrfToken(), async (c) => {
        const caller = c.get('caller');
        if (caller.kind === 'session') await deleteSession(settings, caller.sessionId);
        clearSessionCookie(c, settings);
        return c.body(null, 204);
      })
  );
}
