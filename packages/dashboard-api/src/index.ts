/** The webhook URL policy of a server (loopback only outside production), for DashboardDeps.alertWebhooks. */
export { webhookPolicyFor } from '@pitchline/jobs/alerts';
export {
  type AmazonConfig,
  DEFAULT_LWA_AUTHORIZE_URL,
  DEFAULT_LWA_TOKEN_URL,
  DEFAULT_SMAPI_URL,
} from './amazon/config';
export { amazonConfigFrom } from './amazon/config-from-env';
export { loadOrCreateAmazonTokenKey } from './amazon/token-key';
export { createDashboardApp, type DashboardApp, type DashboardDeps } from './app';
export { dashboardClient } from './client';
export { firstOwnerSetupLink, setupRoutes } from './setup-page';
