export { type RebalanceOutcome, rebalanceBandits } from './rebalance-bandits';
