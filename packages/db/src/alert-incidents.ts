import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, ne, notExists, or, sql } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import {
  type AlertDeliveryKind,
  type AlertDeliveryStatus,
  alertDeliveries,
  alertIncidents,
  alertRules,
} from './schema';

/*
 * What the alerts evaluator writes: incidents (ok → firing opens one, firing → ok resolves it) and the
 * deliveries announcing each transition. A transition and its delivery are written in one transaction,
 * so a crash never leaves an incident nobody was told about; the delivery row stays 'pending' until a
 * sender settles it, and the next evaluation sends what a crash left pending.
 */

/** Every enabled rule of every merchant, with its signing secret and open incident (the evaluator's view). */
export async function enabledAlertRules(db: PitchlineDb) {
  return db
    .select({ rule: alertRules, openIncidentId: alertIncidents.id })
    .from(alertRules)
    .leftJoin(
      alertIncidents,
      and(eq(alertIncidents.ruleId, alertRules.id), isNull(alertIncidents.resolvedAt)),
    )
    .where(eq(alertRules.enabled, true))
    .orderBy(asc(alertRules.merchantId), asc(alertRules.createdAt));
}

/** The rule with its secret, for a test delivery; null when the merchant has no such rule. */
export async function alertRuleForDelivery(db: PitchlineDb, merchantId: string, id: string) {
  const [row] = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.merchantId, merchantId), eq(alertRules.id, id)));
  return row ?? null;
}

export async function recordAlertEvaluation(db: PitchlineDb, ruleId: string, at: Date, value: number | null) {
  await db
    .update(alertRules)
    // updated_at says when a person last changed the rule: an evaluation keeps it.
    .set({ lastEvaluatedAt: at, lastValue: value, updatedAt: sql`${alertRules.updatedAt}` })
    .where(eq(alertRules.id, ruleId));
}

type Rule = { id: string; merchantId: string };

/**
 * ok → firing: opens the rule's incident and queues its delivery. Null when an incident is open already
 * (the unique partial index refuses a second): the rule then fires no second time.
 */
export async function openAlertIncident(
  db: PitchlineDb,
  rule: Rule,
  at: Date,
  value: number | null,
  payload: (incidentId: string) => unknown,
): Promise<{ incidentId: string; deliveryId: string } | null> {
  return db.transaction(async (tx) => {
    const [incident] = await tx
      .insert(alertIncidents)
      .values({ merchantId: rule.merchantId, ruleId: rule.id, openedAt: at, openedValue: value })
      .onConflictDoNothing()
      .returning({ id: alertIncidents.id });
    if (!incident) return null;
    const [delivery] = await tx
      .insert(alertDeliveries)
      .values({
        merchantId: rule.merchantId,
        ruleId: rule.id,
        incidentId: incident.id,
        kind: 'firing',
        payload: payload(incident.id),
        createdAt: at,
      })
      .returning({ id: alertDeliveries.id });
    if (!delivery) throw new Error('alert delivery insert returned nothing');
    return { incidentId: incident.id, deliveryId: delivery.id };
  });
}

/** firing → ok: resolves the open incident and queues the "recovered" delivery; null when none was open. */
export async function resolveAlertIncident(
  db: PitchlineDb,
  rule: Rule,
  incidentId: string,
  at: Date,
  value: number | null,
  payload: unknown,
): Promise<{ deliveryId: string } | null> {
  return db.transaction(async (tx) => {
    const [resolved] = await tx
      .update(alertIncidents)
      .set({ resolvedAt: at, resolvedValue: value })
      .where(and(eq(alertIncidents.id, incidentId), isNull(alertIncidents.resolvedAt)))
      .returning({ id: alertIncidents.id });
    if (!resolved) return null;
    const [delivery] = await tx
      .insert(alertDeliveries)
      .values({
        merchantId: rule.merchantId,
        ruleId: rule.id,
        incidentId,
        kind: 'recovered',
        payload,
        createdAt: at,
      })
      .returning({ id: alertDeliveries.id });
    if (!delivery) throw new Error('alert delivery insert returned nothing');
    return { deliveryId: delivery.id };
  });
}

export async function insertAlertDelivery(
  db: PitchlineDb,
  delivery: { merchantId: string; ruleId: string; kind: AlertDeliveryKind; payload: unknown; at: Date },
): Promise<string> {
  const [row] = await db
    .insert(alertDeliveries)
    .values({
      merchantId: delivery.merchantId,
      ruleId: delivery.ruleId,
      kind: delivery.kind,
      payload: delivery.payload,
      createdAt: delivery.at,
    })
    .returning({ id: alertDeliveries.id });
  if (!row) throw new Error('alert delivery insert returned nothing');
  return row.id;
}

/** One attempt's outcome: the status it leaves the delivery in, the receiver's answer or why none came. */
export async function recordDeliveryAttempt(
  db: PitchlineDb,
  deliveryId: string,
  attempt: {
    attempts: number;
    status: AlertDeliveryStatus;
    responseStatus: number | null;
    error: string | null;
    at: Date;
  },
) {
  await db
    .update(alertDeliveries)
    .set({
      attempts: attempt.attempts,
      status: attempt.status,
      responseStatus: attempt.responseStatus,
      error: attempt.error,
      lastAttemptAt: attempt.at,
      deliveredAt: attempt.status === 'delivered' ? attempt.at : null,
    })
    .where(eq(alertDeliveries.id, deliveryId));
}

/**
 * Takes a pending delivery for one sender until `until`: true when this caller got it (nobody held it,
 * or the holder's lease ran out), false when another sender holds it or it is settled.
 */
export async function claimAlertDelivery(
  db: PitchlineDb,
  id: string,
  now: Date,
  until: Date,
): Promise<boolean> {
  const claimed = await db
    .update(alertDeliveries)
    .set({ leaseUntil: until })
    .where(
      and(
        eq(alertDeliveries.id, id),
        eq(alertDeliveries.status, 'pending'),
        or(isNull(alertDeliveries.leaseUntil), lt(alertDeliveries.leaseUntil, now)),
      ),
    )
    .returning({ id: alertDeliveries.id });
  return claimed.length > 0;
}

/**
 * Deliveries still pending (queued by a transition, or left by a crash), each with its rule's URL and
 * secret: the given ones, or every rule delivery (a test delivery is sent by the request that made it).
 */
export async function pendingAlertDeliveries(db: PitchlineDb, ids?: readonly string[]) {
  const pending = eq(alertDeliveries.status, 'pending');
  return db
    .select({
      delivery: alertDeliveries,
      webhookUrl: alertRules.webhookUrl,
      signingSecret: alertRules.signingSecret,
    })
    .from(alertDeliveries)
    .innerJoin(alertRules, eq(alertRules.id, alertDeliveries.ruleId))
    .where(
      ids
        ? and(pending, inArray(alertDeliveries.id, [...ids]))
        : and(pending, ne(alertDeliveries.kind, 'test')),
    )
    .orderBy(asc(alertDeliveries.createdAt), asc(alertDeliveries.id));
}

export type AlertDeliveryView = {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
};

/** The merchant's delivery history, newest first. */
export async function listAlertDeliveries(
  db: PitchlineDb,
  merchantId: string,
  options: { ruleId?: string; limit?: number } = {},
): Promise<AlertDeliveryView[]> {
  const mine = eq(alertDeliveries.merchantId, merchantId);
  return db
    .select({
      id: alertDeliveries.id,
      ruleId: alertDeliveries.ruleId,
      ruleName: alertRules.name,
      kind: alertDeliveries.kind,
      status: alertDeliveries.status,
      attempts: alertDeliveries.attempts,
      responseStatus: alertDeliveries.responseStatus,
      error: alertDeliveries.error,
      createdAt: alertDeliveries.createdAt,
      lastAttemptAt: alertDeliveries.lastAttemptAt,
      deliveredAt: alertDeliveries.deliveredAt,
    })
    .from(alertDeliveries)
    .innerJoin(alertRules, eq(alertRules.id, alertDeliveries.ruleId))
    .where(options.ruleId ? and(mine, eq(alertDeliveries.ruleId, options.ruleId)) : mine)
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
    .limit(options.limit ?? 100);
}

/**
 * Forgets settled deliveries and resolved incidents older than `before` (the history is for recent
 * weeks; a rule firing every day would otherwise grow it without end). Pending ones are kept.
 */
export async function pruneAlertHistory(db: PitchlineDb, before: Date) {
  const deliveries = await db
    .delete(alertDeliveries)
    .where(and(lt(alertDeliveries.createdAt, before), ne(alertDeliveries.status, 'pending')))
    .returning({ id: alertDeliveries.id });
  const incidents = await db
    .delete(alertIncidents)
    .where(
      and(
        isNotNull(alertIncidents.resolvedAt),
        lt(alertIncidents.resolvedAt, before),
        // Its deliveries go with it (cascade): not while one is still to be sent.
        notExists(
          db
            .select({ id: alertDeliveries.id })
            .from(alertDeliveries)
            .where(
              and(eq(alertDeliveries.incidentId, alertIncidents.id), eq(alertDeliveries.status, 'pending')),
            ),
        ),
      ),
    )
    .returning({ id: alertIncidents.id });
  return { deliveries: deliveries.length, incidents: incidents.length };
}
