import {
  type AuditAction,
  addSkill,
  getPaymentMode,
  listSkills,
  MerchantSettingsError,
  paymentModeSchema,
  removeSkill,
  SKILL_REFUSED,
  setPaymentMode,
  skillIdSchema,
} from '@pitchline/db';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { AmazonError } from '../amazon/errors';
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
/** The id only: the name is the one Amazon lists for the skill. Its format is checked in the route, so a malformed id gets the same answer as every other refusal. */
const bindSkillBody = z.strictObject({ id: z.string().max(500) });

/**
 * Every refused binding, whatever the reason (malformed, not listed in the connected Amazon account,
 * no account connected, bound already here or elsewhere): one status and one body, so the answer never
 * tells whether another account holds the id.
 */
const skillRefused = (c: Context) => c.json({ error: 'skill_refused' as const, reason: SKILL_REFUSED }, 409);

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

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to drop them
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Amazon's name for the skill, made fit for our name rule (no control characters, 100 at most). */
function displayName(skill: { id: string; name: string }): string {
  return skill.name.replace(CONTROL, ' ').trim().slice(0, 100) || skill.id;
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
    .post('/skills', requireWrite(), validate('json', bindSkillBody, skillRefused), async (c) => {
      const merchantId = c.get('caller').merchantId;
      const id = skillIdSchema.safeParse(c.req.valid('json').id);
      // No Login with Amazon here: no proof possible, so no binding through the API (the operator's CLI can).
      if (!id.success || !settings.amazon) return skillRefused(c);
      let listed: Awaited<ReturnType<typeof settings.amazon.accounts.listSkills>>;
      try {
        listed = await settings.amazon.accounts.listSkills(merchantId);
      } catch (error) {
        if (!(error instanceof AmazonError)) throw error;
        return c.json({ error: 'amazon_unavailable' as const, reason: error.message }, 502);
      }
      const proven = listed?.find((skill) => skill.id === id.data);
      if (!proven) return skillRefused(c);
      try {
        const skill = await addSkill(db, merchantId, { id: proven.id, name: displayName(proven) });
        // Named by the skill's name: the log is read by people, the id stays in the details.
        await audit(c.get('caller'), 'skill_bound', skill.name, { skillId: skill.id });
        return c.json({ skill }, 201);
      } catch (error) {
        if (error instanceof MerchantSettingsError && error.code === 'skill_taken') return skillRefused(c);
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
