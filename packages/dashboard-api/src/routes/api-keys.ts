import { API_KEY_SCOPES } from '@pitchline/db';
import { Hono } from 'hono';
import { z } from 'zod';
import { createApiKey, listApiKeys, MAX_API_KEY_DAYS, revokeApiKey } from '../auth/api-keys';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireOwnerSession } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';
import { isUuid } from '../http/ids';
import { validate } from '../http/validate';

const createBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'choose at least one scope').max(API_KEY_SCOPES.length),
  expiresInDays: z
    .number()
    .int()
    .min(1, 'a key lives at least a day')
    .max(MAX_API_KEY_DAYS, `a key lives at most ${MAX_API_KEY_DAYS} days`),
});
const idParam = z.object({ id: z.string() });

export function apiKeyRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken(), requireOwnerSession())
    .get('/', async (c) => c.json({ apiKeys: await listApiKeys(settings, c.get('caller').merchantId) }, 200))
    .post('/', validate('json', createBody), async (c) => {
      const caller = c.get('caller');
      if (caller.kind !== 'session') throw new Error('requireOwnerSession let a key through');
      const created = await createApiKey(settings, caller, c.req.valid('json'));
      // The only time the key is ever shown: only its hash is kept.
      return c.json({ apiKey: created }, 201);
    })
    .delete('/:id', validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!isUuid(id) || !(await revokeApiKey(settings, c.get('caller'), id))) return notFound(c);
      return c.body(null, 204);
    });
}
