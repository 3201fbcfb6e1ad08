import { Hono } from 'hono';

export type DashboardDeps = {
  /** Reports whether the analytics and relational stores answer; the dashboard shows it in its status bar. */
  storesReady: () => Promise<boolean>;
};

/**
 * The dashboard's API, mounted by the server under /api. Accounts, funnels, experiments and revenue
 * routes arrive with their issues; every route will take the tenant from the authenticated caller.
 */
export function createDashboardApp(deps: DashboardDeps) {
  return new Hono().get('/status', async (c) => c.json({ ready: await deps.storesReady() }));
}

export type DashboardApp = ReturnType<typeof createDashboardApp>;
