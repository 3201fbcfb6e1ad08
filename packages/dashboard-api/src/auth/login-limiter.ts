import { loginAttempts } from '@pitchline/db';
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import type { Settings } from '../deps';

/*
 * Failed logins are rows of `login_attempts` under two keys, `email:<address>` and `ip:<address>`.
 * A key with `limit` failures inside the window is refused until its oldest counted failure leaves
 * the window. Kept in the database, not memory, so every API process sees the same counts and a
 * restart does not reset them.
 */

export type LimiterKeys = { email: string; ip: string | undefined };

const keysOf = ({ email, ip }: LimiterKeys) => [
  { key: `email:${email}`, kind: 'email' as const },
  ...(ip ? [{ key: `ip:${ip}`, kind: 'ip' as const }] : []),
];

/** Seconds until a login may be tried again, or 0 when it may be tried now. */
export async function loginRetryAfter(settings: Settings, keys: LimiterKeys): Promise<number> {
  const now = settings.now().getTime();
  const { windowMs } = settings.loginLimits;
  let waitMs = 0;
  for (const { key, kind } of keysOf(keys)) {
    const limit = kind === 'email' ? settings.loginLimits.perEmail : settings.loginLimits.perIp;
    const recent = await settings.db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.key, key), gt(loginAttempts.at, new Date(now - windowMs))))
      .orderBy(desc(loginAttempts.at))
      .limit(limit);
    // The limit-th most recent failure is the one whose expiry brings the count under the limit.
    const oldestCounted = recent.length >= limit ? recent[limit - 1] : undefined;
    if (oldestCounted) waitMs = Math.max(waitMs, oldestCounted.at.getTime() + windowMs - now);
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

export async function recordLoginFailure(settings: Settings, keys: LimiterKeys): Promise<void> {
  const at = settings.now();
  await settings.db.insert(loginAttempts).values(keysOf(keys).map(({ key }) => ({ key, at })));
}

/**
 * A successful login forgives the address's failures (its owner got in) but not the IP's: one
 * attacker's IP guessing many accounts must stay throttled when one guess succeeds.
 */
export async function clearEmailFailures(settings: Settings, email: string): Promise<void> {
  await settings.db.delete(loginAttempts).where(eq(loginAttempts.key, `email:${email}`));
}

/** Rows older than the window count for nothing; deleting them keeps the table the window's size. */
export async function sweepLoginAttempts(settings: Settings): Promise<void> {
  const cutoff = new Date(settings.now().getTime() - settings.loginLimits.windowMs);
  await settings.db.delete(loginAttempts).where(lte(loginAttempts.at, cutoff));
}
