/*
 * The relational schema, one file per domain (drizzle-kit reads this index). Conventions are in
 * columns.ts; the closed sets in values.ts.
 */
export * from './accounts';
export * from './alerts';
export * from './amazon';
export * from './catalog';
export * from './experiments';
export * from './operations';
export * from './orders';
export * from './values';

import type {
  apiKeys,
  auditLog,
  loginAttempts,
  memberInvites,
  memberSessions,
  members,
  merchants,
  passwordResets,
  skills,
} from './accounts';
import type { alertDeliveries, alertIncidents, alertRules } from './alerts';
import type { products } from './catalog';
import type { experimentHistoryEntries, experiments, experimentVariants } from './experiments';
import type { jobRuns, setupTokens } from './operations';
import type { linkedCustomers, orderItems, orders, processedWebhookEvents } from './orders';

export type Merchant = typeof merchants.$inferSelect;
export type NewMerchant = typeof merchants.$inferInsert;
export type Member = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;
export type MemberSession = typeof memberSessions.$inferSelect;
export type NewMemberSession = typeof memberSessions.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type LoginAttempt = typeof loginAttempts.$inferSelect;
export type NewLoginAttempt = typeof loginAttempts.$inferInsert;
export type Skill = typeof skills.$inferSelect;
export type NewSkill = typeof skills.$inferInsert;
export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type Experiment = typeof experiments.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type ExperimentVariant = typeof experimentVariants.$inferSelect;
export type NewExperimentVariant = typeof experimentVariants.$inferInsert;
export type ExperimentHistoryEntry = typeof experimentHistoryEntries.$inferSelect;
export type NewExperimentHistoryEntry = typeof experimentHistoryEntries.$inferInsert;
export type LinkedCustomer = typeof linkedCustomers.$inferSelect;
export type NewLinkedCustomer = typeof linkedCustomers.$inferInsert;
export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderItem = typeof orderItems.$inferSelect;
export type NewOrderItem = typeof orderItems.$inferInsert;
export type ProcessedWebhookEvent = typeof processedWebhookEvents.$inferSelect;
export type SetupToken = typeof setupTokens.$inferSelect;
export type JobRun = typeof jobRuns.$inferSelect;
export type MemberInvite = typeof memberInvites.$inferSelect;
export type PasswordReset = typeof passwordResets.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type AlertRule = typeof alertRules.$inferSelect;
export type AlertIncident = typeof alertIncidents.$inferSelect;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
