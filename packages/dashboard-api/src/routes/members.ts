import { members } from '@pitchline/db';
import { asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireSession } from '../auth/middleware';
import type { Settings } from '../deps';

/** The merchant's team. E-mail addresses are personal: members see them, API keys do not. */
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
    });
}
