export { alertsJob } from './alerts/alerts-job';
export { evaluateAlerts } from './alerts/evaluate-alerts';
export { type RebalanceOutcome, rebalanceBandits } from './rebalance-bandits';
export { LOCK_POLL_MS, type PeriodicJob, type Scheduler, startScheduler } from './scheduler';
