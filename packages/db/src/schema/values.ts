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
/** What an API key may do; each route names the scope it needs. */
export const API_KEY_SCOPES = ['analytics:read', 'transcripts:read', 'experiments:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** Security-relevant actions the audit log records (one closed set, so the log reads the same everywhere). */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'sign_out_everywhere',
  'invite_created',
  'invite_accepted',
  'member_added',
  'member_removed',
  'role_changed',
  'password_reset_issued',
  'password_reset_used',
  'api_key_created',
  'api_key_revoked',
  'skill_bound',
  'skill_unbound',
  'payment_mode_changed',
  // A webhook URL decides where the merchant's figures go: its changes are security-relevant.
  'alert_rule_created',
  'alert_rule_changed',
  'alert_rule_deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/**
 * What an alert rule can watch. The first three are catalogue metrics computed over the rule's window;
 * the experiment ones count running experiments in trouble; the event log one is the server's backlog.
 */
export const ALERT_METRICS = [
  'fallback_rate',
  'latency_p90',
  'paid_conversion',
  'experiment_srm',
  'experiment_guardrail',
  'event_log_backlog',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
/** Against a threshold, or against the previous window of the same length (a share of change). */
export const ALERT_CONDITIONS = ['above', 'below', 'rises_by', 'drops_by'] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];
export const ALERT_DELIVERY_KINDS = ['firing', 'recovered', 'test'] as const;
export type AlertDeliveryKind = (typeof ALERT_DELIVERY_KINDS)[number];
export const ALERT_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];
