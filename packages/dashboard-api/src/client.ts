import { type ClientRequestOptions, hc } from 'hono/client';
import type { DashboardApp } from './app';

/**
 * A typed client of the dashboard API (Hono RPC): paths, bodies and responses come from the routes'
 * own types, so the SPA and scripts break at compile time when a route changes.
 */
export function dashboardClient(baseUrl: string, options?: ClientRequestOptions) {
  return hc<DashboardApp>(baseUrl, options);
}
