import { relations } from 'drizzle-orm';
import {
  apiKeys,
  experimentHistoryEntries,
  experiments,
  experimentVariants,
  linkedCustomers,
  memberSessions,
  members,
  merchants,
  orderItems,
  orders,
  products,
  skills,
} from './schema';

// Relations only feed drizzle's relational query API (`db.query.orders.findMany({ with: … })`);
// they create nothing in the database.

export const merchantsRelations = relations(merchants, ({ many }) => ({
  members: many(members),
  apiKeys: many(apiKeys),
  skills: many(skills),
  products: many(products),
  experiments: many(experiments),
  linkedCustomers: many(linkedCustomers),
  orders: many(orders),
}));

export const membersRelations = relations(members, ({ one, many }) => ({
  merchant: one(merchants, { fields: [members.merchantId], references: [merchants.id] }),
  sessions: many(memberSessions),
}));

export const memberSessionsRelations = relations(memberSessions, ({ one }) => ({
  member: one(members, { fields: [memberSessions.memberId], references: [members.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  merchant: one(merchants, { fields: [apiKeys.merchantId], references: [merchants.id] }),
  creator: one(members, { fields: [apiKeys.createdBy], references: [members.id] }),
}));

export const skillsRelations = relations(skills, ({ one }) => ({
  merchant: one(merchants, { fields: [skills.merchantId], references: [merchants.id] }),
}));

export const productsRelations = relations(products, ({ one }) => ({
  merchant: one(merchants, { fields: [products.merchantId], references: [merchants.id] }),
}));

export const experimentsRelations = relations(experiments, ({ one, many }) => ({
  merchant: one(merchants, { fields: [experiments.merchantId], references: [merchants.id] }),
  variants: many(experimentVariants, { relationName: 'experiment_variants' }),
  history: many(experimentHistoryEntries),
  shippedVariant: one(experimentVariants, {
    fields: [experiments.shippedVariantId],
    references: [experimentVariants.id],
    relationName: 'shipped_variant',
  }),
}));

export const experimentVariantsRelations = relations(experimentVariants, ({ one }) => ({
  experiment: one(experiments, {
    fields: [experimentVariants.experimentId],
    references: [experiments.id],
    relationName: 'experiment_variants',
  }),
}));

export const experimentHistoryEntriesRelations = relations(experimentHistoryEntries, ({ one }) => ({
  experiment: one(experiments, {
    fields: [experimentHistoryEntries.experimentId],
    references: [experiments.id],
  }),
  actor: one(members, { fields: [experimentHistoryEntries.actorMemberId], references: [members.id] }),
}));

export const linkedCustomersRelations = relations(linkedCustomers, ({ one, many }) => ({
  merchant: one(merchants, { fields: [linkedCustomers.merchantId], references: [merchants.id] }),
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  merchant: one(merchants, { fields: [orders.merchantId], references: [merchants.id] }),
  skill: one(skills, { fields: [orders.skillId], references: [skills.id] }),
  linkedCustomer: one(linkedCustomers, {
    fields: [orders.linkedCustomerId],
    references: [linkedCustomers.id],
  }),
  items: many(orderItems),
}));

export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
  product: one(products, { fields: [orderItems.productId], references: [products.id] }),
}));
