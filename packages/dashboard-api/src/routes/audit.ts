import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit } from '../auth/audit';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireOwnerSession } from '../auth/middleware';
import type { Settings } from '../deps';
import { validate } from '../http/validate';

/** `<ISO instant>_<uuid>`: the last entry of the page before, as nextCursor handed it out. */
const cursorSchema = z
  .string()
  .max(80)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z_[0-9a-f-]{36}$/i, 'cursor is the nextCursor of a page')
  .transform((value, ctx) => {
    const [at, id] = value.split('_') as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'cursor is the nextCursor of a page' });
      return z.NEVER;
    }
    return { at: date, id };
  });

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
});

/** The merchant's audit log, newest first, for owners signed in. */
export function auditRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken(), requireOwnerSession())
    .get('/', validate('query', pageQuery), async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listAudit(settings.db, c.get('caller').merchantId, limit, cursor), 200);
    });
}
