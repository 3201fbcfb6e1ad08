import { Hono } from 'hono';
import type { DashboardEnv } from './auth/caller';
import { originCheck } from './auth/middleware';
import { type DashboardDeps, settingsFrom } from './deps';
import { API_BODY_LIMIT_BYTES, LOGIN_BODY_LIMIT_BYTES, limitBody } from './http/body-limits';
import { alertRoutes } from './routes/alerts';
import { amazonRoutes } from './routes/amazon';
import { analyticsRoutes } from './routes/analytics';
import { apiKeyRoutes } from './routes/api-keys';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { experimentRoutes } from './routes/experiments';
import { inviteRoutes } from './routes/invites';
import { memberRoutes } from './routes/members';
import { settingsRoutes } from './routes/settings';
import { setupChecklistRoutes } from './routes/setup-checklist';
import { skillPackageRoutes } from './routes/skill-package';

export type { DashboardDeps } from './deps';
export { API_BODY_LIMIT_BYTES, LOGIN_BODY_LIMIT_BYTES } from './http/body-limits';

/**
 * The dashboard's API, mounted by the server under /api. Every route but /status and /auth/login
 * authenticates the caller (session cookie or read-only API key) and takes the tenant from it, never
 * from the request. Routes are chained on one instance so `hc<DashboardApp>` can type a client.
 */
export function createDashboardApp(deps: DashboardDeps) {
  const settings = settingsFrom(deps);
  return (
    new Hono<DashboardEnv>()
      // Bounded before anything reads a body or touches a store; the unauthenticated login tighter.
      .use('/auth/login', limitBody(LOGIN_BODY_LIMIT_BYTES))
      // The other unauthenticated writes: a token and a password, no more.
      .use('/auth/reset', limitBody(LOGIN_BODY_LIMIT_BYTES))
      .use('/invites/accept', limitBody(LOGIN_BODY_LIMIT_BYTES))
      .use(limitBody(API_BODY_LIMIT_BYTES))
      .use(originCheck(settings))
      .use(async (c, next) => {
        await next();
        // Every answer is one tenant's data (and /auth/me carries the CSRF token): no shared caches.
        c.header('Cache-Control', 'no-store');
      })
      .get('/status', async (c) => c.json({ ready: await deps.storesReady() }, 200))
      .route('/auth', authRoutes(settings))
      .route('/members', memberRoutes(settings))
      .route('/invites', inviteRoutes(settings))
      .route('/audit', auditRoutes(settings))
      .route('/api-keys', apiKeyRoutes(settings))
      .route('/experiments', experimentRoutes(settings))
      .route('/analytics', analyticsRoutes(settings))
      .route('/settings', settingsRoutes(settings))
      .route('/amazon', amazonRoutes(settings))
      .route('/skill-package', skillPackageRoutes(settings))
      .route('/setup-checklist', setupChecklistRoutes(settings))
      .route('/alerts', alertRoutes(settings))
  );
}

export type DashboardApp = ReturnType<typeof createDashboardApp>;
