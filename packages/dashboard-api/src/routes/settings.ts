import {
  type AuditAction,
  addSkill,
  getPaymentMode,
  listSkills,
  MerchantSettingsError,
  newSkillSchema,
  paymentModeSchema,
  removeSkill,
  setPaymentMode,
} from '@pitchline/db';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { auditActor, writeAudit } from '../auth/audit';
import type { Caller, DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireWrite } from '../auth/middleware';
import type { Settings } from '../deps';
import { conflict, notFound } from '../http/errors';
import { validate } from '../http/validate';

/*
 * The merchant's skills (which Alexa skill ids answer for it) and its payment mode. Everyone of the
 * merchant reads them (analysts and API keys too: they explain the numbers); only owners change them.
 * The merchant is always the caller's: another merchant's skill id is "not found" here.
 */

const idParam = z.object({ id: z.string() });
const paymentModeBody = z.strictObject({ mode: paymentModeSchema });

/** How long the skill keeps its answer about a skill id (its skill directory cache), for the UI. */
export const SKILL_CACHE_SECONDS = 30;

function storeError(c: Context, error: unknown) {
  if (!(error instanceof MerchantSettingsError)) throw error;
  switch (error.code) {
    case 'not_found':
      return notFound(c);
    case 'skill_taken':
    case 'skill_in_use':
      return conflict(c, error.message);
    case 'invalid':
      return c.json({ error: 'invalid_request' as const, reason: error.message }, 400);
  }
}

export function settingsRoutes(settings: Settings) {
  const { db } = settings;
  // Written after the store's own transaction commits (addSkill, setPaymentMode own theirs): an entry
  // can then only be missing for a change that happened, never present for one that did not.
  const audit = (
    caller: Caller,
    action: AuditAction,
    target: string | null,
    details?: Record<string, unknown>,
  ) =>
    writeAudit(db, {
      merchantId: caller.merchantId,
      action,
      ...auditActor(caller),
      target,
      details,
      at: settings.now(),
    });
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken())
    .get('/', async (c) => {
      const merchantId = c.get('caller').merchantId;
      const [skills, paymentMode] = await Promise.all([
        listSkills(db, merchantId),
        getPaymentMode(db, merchantId),
      ]);
      return c.json(
        {
          skills,
          paymentMode,
          stripeConfigured: settings.stripeConfigured,
          skillCacheSeconds: SKILL_CACHE_SECONDS,
        },
        200,
      );
    })
    .post('/skills', requireWrite(), validate('json', newSkillSchema), async (c) => {
      try {
        const caller = c.get('caller');
        const skill = await addSkill(db, caller.merchantId, c.req.valid('json'));
        // Named by the skill's name: the log is read by people, the id stays in the details.
        await audit(caller, 'skill_bound', skill.name, { skillId: skill.id });
        return c.json({ skill }, 201);
      } catch (error) {
        return storeError(c, error);
      }
    })
    .delete('/skills/:id', requireWrite(), validate('param', idParam), async (c) => {
      try {
        const caller = c.get('caller');
        const skillId = c.req.valid('param').id;
        const name = (await listSkills(db, caller.merchantId)).find((s) => s.id === skillId)?.name ?? skillId;
        await removeSkill(db, caller.merchantId, skillId);
        await audit(caller, 'skill_unbound', name, { skillId });
        return c.body(null, 204);
      } catch (error) {
        return storeError(c, error);
      }
    })
    .put('/payment-mode', requireWrite(), validate('json', paymentModeBody), async (c) => {
      const { mode } = c.req.valid('json');
      if (mode === 'stripe' && !settings.stripeConfigured) {
        // A merchant in 'stripe' mode on a server without keys could not take any order: refuse the
        // switch rather than let checkout fail for its shoppers.
        return conflict(
          c,
          'this server has no Stripe keys (it runs with PAYMENTS=simulated), so it cannot take real payments; ' +
            'set PAYMENTS=stripe with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET first',
        );
      }
      try {
        const caller = c.get('caller');
        const before = await getPaymentMode(db, caller.merchantId);
        await setPaymentMode(db, caller.merchantId, mode);
        if (before !== mode) await audit(caller, 'payment_mode_changed', null, { from: before, to: mode });
        return c.json({ paymentMode: mode }, 200);
      } catch (error) {
        return storeError(c, error);
      }
    });
}
