import { listSkills, saveOauthState, spendOauthState } from '@pitchline/db';
import { Hono } from 'hono';
import { HOW_TO_CONFIGURE_LWA, OAUTH_STATE_TTL_MS } from '../amazon/config';
import { AmazonError } from '../amazon/errors';
import { authorizeUrl } from '../amazon/lwa';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, requireOwnerSession } from '../auth/middleware';
import { newSecret } from '../auth/secrets';
import type { Settings } from '../deps';
import type { conflict } from '../http/errors';

/*
 * "Connect your Amazon developer account" (Login with Amazon) and the skills it lists: how an owner
 * proves control of a skill before binding it (POST /settings/skills). The callback is a top-level
 * navigation back from Amazon: it answers with a redirect to the Settings page carrying the outcome.
 */

/** Where the callback sends the browser: the SPA's Settings page, with the outcome in `amazon=`. */
const settingsPage = (outcome: 'connected' | 'state_invalid' | 'denied' | 'token_failed') =>
  `/settings?amazon=${outcome}`;

const notConfigured = (c: Parameters<typeof conflict>[0]) =>
  c.json({ error: 'amazon_not_configured' as const, reason: HOW_TO_CONFIGURE_LWA }, 409);

export function amazonRoutes(settings: Settings) {
  const { db, amazon } = settings;
  return (
    new Hono<DashboardEnv>()
      .use(authenticate(settings))
      .get('/', async (c) => {
        if (!amazon) return c.json({ configured: false as const, howToConfigure: HOW_TO_CONFIGURE_LWA }, 200);
        return c.json(
          {
            configured: true as const,
            connected: await amazon.accounts.connected(c.get('caller').merchantId),
          },
          200,
        );
      })
      // A GET because the browser navigates to it; it changes nothing but a pending state of its own session.
      .get('/connect', requireOwnerSession(), async (c) => {
        if (!amazon) return notConfigured(c);
        const caller = c.get('caller');
        if (caller.kind !== 'session') return notConfigured(c);
        const state = newSecret();
        await saveOauthState(db, {
          state,
          sessionId: caller.sessionId,
          now: settings.now(),
          ttlMs: OAUTH_STATE_TTL_MS,
        });
        return c.redirect(authorizeUrl(amazon.config, state), 302);
      })
      .get('/callback', requireOwnerSession(), async (c) => {
        if (!amazon) return notConfigured(c);
        const caller = c.get('caller');
        if (caller.kind !== 'session') return notConfigured(c);
        const { state, code, error } = c.req.query();
        // The state first, whatever else came back: a forged or replayed callback spends nothing and stores nothing.
        const spent =
          typeof state === 'string' &&
          state.length > 0 &&
          state.length <= 200 &&
          (await spendOauthState(db, { state, sessionId: caller.sessionId, now: settings.now() }));
        if (!spent) return c.redirect(settingsPage('state_invalid'), 302);
        if (error !== undefined || !code || code.length > 2000)
          return c.redirect(settingsPage('denied'), 302);
        try {
          await amazon.accounts.connect(caller.merchantId, caller.memberId, code);
        } catch (failure) {
          if (failure instanceof AmazonError) return c.redirect(settingsPage('token_failed'), 302);
          throw failure;
        }
        return c.redirect(settingsPage('connected'), 302);
      })
      .get('/skills', async (c) => {
        if (!amazon) return notConfigured(c);
        const merchantId = c.get('caller').merchantId;
        let listed: Awaited<ReturnType<typeof amazon.accounts.listSkills>>;
        try {
          listed = await amazon.accounts.listSkills(merchantId);
        } catch (failure) {
          if (!(failure instanceof AmazonError)) throw failure;
          return c.json({ error: 'amazon_unavailable' as const, reason: failure.message }, 502);
        }
        if (!listed) {
          return c.json(
            { error: 'amazon_not_connected' as const, reason: 'connect your Amazon developer account first' },
            409,
          );
        }
        const bound = new Set((await listSkills(db, merchantId)).map((s) => s.id));
        return c.json({ skills: listed.map((s) => ({ ...s, bound: bound.has(s.id) })) }, 200);
      })
  );
}
