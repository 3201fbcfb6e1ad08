import { products } from '@pitchline/db';
import { buildSkillPackage, PACKAGE_LOCALES, SkillPackageError } from '@pitchline/voice-model/skill-package';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken } from '../auth/middleware';
import type { Settings } from '../deps';
import { validate } from '../http/validate';

/*
 * The merchant's own Alexa skill package, generated from what they choose (names, endpoint, privacy and
 * terms pages) and their live catalog: POST /api/skill-package answers the files to save as the
 * `skill-package/` folder of an ASK CLI project, or to paste into the developer console's JSON editor.
 * It writes nothing, so every member may generate one. A bad choice is answered per field, in words.
 */

const packageBody = z.strictObject({
  skillName: z.string().max(200),
  invocationName: z.string().max(200),
  endpointUrl: z.string().max(2_000),
  privacyPolicyUrl: z.string().max(2_000),
  termsOfUseUrl: z.string().max(2_000),
  locales: z.array(z.enum(PACKAGE_LOCALES)).max(PACKAGE_LOCALES.length).default(['en-US']),
});

export function skillPackageRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken())
    .post('/', validate('json', packageBody), async (c) => {
      const merchantId = c.get('caller').merchantId;
      const body = c.req.valid('json');
      const catalog = await settings.db
        .select({
          id: products.id,
          name: products.name,
          synonyms: products.synonyms,
          category: products.category,
        })
        .from(products)
        .where(and(eq(products.merchantId, merchantId), eq(products.active, true)))
        .orderBy(products.name);
      try {
        const files = buildSkillPackage({
          ...body,
          locales: [...new Set(body.locales)],
          products: catalog,
          categories: [...new Set(catalog.map((p) => p.category))].sort(),
        });
        return c.json({ products: catalog.length, files }, 200);
      } catch (error) {
        if (!(error instanceof SkillPackageError)) throw error;
        return c.json({ error: 'invalid_package' as const, fields: error.problems }, 400);
      }
    });
}
