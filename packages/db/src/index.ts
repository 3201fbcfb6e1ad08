export {
  type HeldLock,
  LOCK_KEYS,
  tryAdvisoryLock,
  withAdvisoryLock,
} from './advisory-lock';
export {
  type AlertDeliveryView,
  alertRuleForDelivery,
  claimAlertDelivery,
  enabledAlertRules,
  insertAlertDelivery,
  listAlertDeliveries,
  openAlertIncident,
  pendingAlertDeliveries,
  pruneAlertHistory,
  recordAlertEvaluation,
  recordDeliveryAttempt,
  resolveAlertIncident,
} from './alert-incidents';
export {
  type AlertRuleInput,
  type AlertRulePatch,
  type AlertRuleView,
  alertRuleInputSchema,
  alertRulePatchSchema,
  countAlertRules,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  newSigningSecret,
  updateAlertRule,
} from './alert-rules';
export {
  type AmazonConnectionRow,
  getAmazonConnection,
  removeAmazonConnection,
  saveAmazonConnection,
  saveOauthState,
  spendOauthState,
  updateAmazonTokens,
} from './amazon-connections';
export * from './experiments';
export { claimJobRun, finishJobRun, listJobRuns } from './job-runs';
export {
  addSkill,
  getPaymentMode,
  listSkills,
  MerchantSettingsError,
  type MerchantSettingsErrorCode,
  merchantOfMember,
  merchantsInPaymentMode,
  type NewSkillInput,
  newSkillSchema,
  type PaymentMode,
  paymentModeSchema,
  removeSkill,
  SKILL_REFUSED,
  type SkillView,
  setPaymentMode,
  skillIdSchema,
  skillNameSchema,
} from './merchant-settings';
export { MIGRATIONS_FOLDER, migrateDatabase } from './migrate';
export {
  collectGarbage,
  type Database,
  type OpenDatabaseOptions,
  openDatabase,
  type PitchlineDb,
  type PitchlineQueryResultHKT,
  type PitchlineTx,
} from './open';
export { type AdvanceOrderResult, advanceOrderStatus, type OrderStatusPatch } from './order-status';
export { type OrderInReview, ordersInReview } from './orders-in-review';
export { countMerchants, createOwner, type NewOwner, newOwnerSchema, OwnerError } from './owners';
export { hashPassword, verifyPassword } from './passwords';
export * from './schema';
export * from './seed';
export {
  createOwnerWithSetupToken,
  issueSetupToken,
  SETUP_TOKEN_TTL_MS,
  setupTokenValid,
} from './setup-tokens';
export { type Schema, schema } from './tables';
export { hashAccessToken, hashToken } from './tokens';
