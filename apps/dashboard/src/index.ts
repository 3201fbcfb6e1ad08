export { createDashboardApp, type DashboardApp, type DashboardDeps } from './app';
