/** The closed sets the tables CHECK their text columns against. */

export const PAYMENT_MODES = ['simulated', 'stripe'] as const;
export const MEMBER_ROLES = ['owner', 'analyst'] as const;
export const EXPERIMENT_SCOPES = ['product', 'category', 'launch'] as const;
export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped', 'concluded'] as const;
export const EXPERIMENT_METRICS = ['conversion', 'revenue_per_user', 'add_to_cart'] as const;
export const EXPERIMENT_MODES = ['fixed', 'bandit'] as const;
export const EXPERIMENT_HISTORY_ACTIONS = [
  'create',
  'update',
  'variant_version',
  'start',
  'stop',
  'conclude',
] as const;
export type ExperimentHistoryAction = (typeof EXPERIMENT_HISTORY_ACTIONS)[number];
/** API keys read only: a leaked key must not be able to start, stop or ship an experiment. */
export const API_KEY_ROLES = ['analyst'] as const;
