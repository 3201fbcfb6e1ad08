import { merchants } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import type { Settings } from '../deps';

/** The body of /auth/me, also answered by a login and an accepted invite. */
export async function whoAmI(settings: Settings, caller: Caller) {
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
