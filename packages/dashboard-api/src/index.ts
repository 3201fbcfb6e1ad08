export { createDashboardApp, type DashboardApp, type DashboardDeps } from './app';
export { dashboardClient } from './client';
export { firstOwnerSetupLink, setupRoutes } from './setup-page';
