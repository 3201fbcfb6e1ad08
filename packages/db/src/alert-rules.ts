import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PitchlineDb } from './open';
import { ALERT_CONDITIONS, ALERT_METRICS, alertIncidents, alertRules } from './schema';

/*
 * A merchant's alert rules. Every function but the evaluator's takes the merchant from its caller (the
 * authenticated tenant): another merchant's rule is "not found" here, as it is in the API. Whether a
 * webhook URL may be called is decided outside the store (it resolves DNS): see @pitchline/jobs/alerts.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const CONTROL = /[\u0000-\u001f\u007f]/;

export const alertRuleInputSchema = z.strictObject({
  name: z
    .string({ error: 'Give the rule a name.' })
    .trim()
    .min(1, 'Give the rule a name.')
    .max(100, 'A name has at most 100 characters.')
    .refine((name) => !CONTROL.test(name), 'A name cannot contain control characters.'),
  metric: z.enum(ALERT_METRICS, { error: 'Choose a metric from the list.' }),
  condition: z.enum(ALERT_CONDITIONS, { error: 'Choose when the rule fires.' }),
  threshold: z
    .number({ error: 'Enter a number for the threshold.' })
    .finite('Enter a number for the threshold.')
    .min(0, 'The threshold cannot be negative.')
    .max(1e9, 'The threshold is too large.'),
  windowMinutes: z
    .number({ error: 'Enter the window in minutes.' })
    .int('The window is a whole number of minutes.')
    .min(5, 'The window is at least 5 minutes.')
    .max(10_080, 'The window is at most 7 days (10080 minutes).'),
  webhookUrl: z
    .string({ error: 'Enter the webhook URL.' })
    .trim()
    .min(1, 'Enter the webhook URL.')
    .max(2000, 'A webhook URL has at most 2000 characters.'),
  enabled: z.boolean().default(true),
});
export type AlertRuleInput = z.input<typeof alertRuleInputSchema>;
/** Every field optional, and none defaulted: a change of the threshold must not switch a rule back on. */
export const alertRulePatchSchema = alertRuleInputSchema.extend({ enabled: z.boolean() }).partial();
export type AlertRulePatch = z.input<typeof alertRulePatchSchema>;

/** A rule as people read it: no signing secret (shown once, at creation), and whether it is firing. */
export type AlertRuleView = Omit<typeof alertRules.$inferSelect, 'signingSecret'> & {
  state: 'ok' | 'firing';
  firingSince: Date | null;
};

const viewColumns = {
  id: alertRules.id,
  merchantId: alertRules.merchantId,
  name: alertRules.name,
  metric: alertRules.metric,
  condition: alertRules.condition,
  threshold: alertRules.threshold,
  windowMinutes: alertRules.windowMinutes,
  webhookUrl: alertRules.webhookUrl,
  enabled: alertRules.enabled,
  lastEvaluatedAt: alertRules.lastEvaluatedAt,
  lastValue: alertRules.lastValue,
  createdAt: alertRules.createdAt,
  updatedAt: alertRules.updatedAt,
  firingSince: alertIncidents.openedAt,
};

function withState<T extends { firingSince: Date | null }>(row: T): T & { state: 'ok' | 'firing' } {
  return { ...row, state: row.firingSince ? 'firing' : 'ok' };
}

function selectViews(db: PitchlineDb) {
  return db
    .select(viewColumns)
    .from(alertRules)
    .leftJoin(
      alertIncidents,
      and(eq(alertIncidents.ruleId, alertRules.id), isNull(alertIncidents.resolvedAt)),
    )
    .$dynamic();
}

export async function listAlertRules(db: PitchlineDb, merchantId: string): Promise<AlertRuleView[]> {
  const rows = await selectViews(db)
    .where(eq(alertRules.merchantId, merchantId))
    .orderBy(desc(alertRules.createdAt));
  return rows.map(withState);
}

export async function getAlertRule(
  db: PitchlineDb,
  merchantId: string,
  id: string,
): Promise<AlertRuleView | null> {
  const [row] = await selectViews(db).where(
    and(eq(alertRules.merchantId, merchantId), eq(alertRules.id, id)),
  );
  return row ? withState(row) : null;
}

/** The key receivers verify signatures with: 32 random bytes, prefixed so people recognise it. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Creates a rule (input already validated and its URL checked); returns it with its signing secret. */
export async function createAlertRule(
  db: PitchlineDb,
  merchantId: string,
  input: z.output<typeof alertRuleInputSchema>,
  now = new Date(),
): Promise<AlertRuleView & { signingSecret: string }> {
  const [row] = await db
    .insert(alertRules)
    .values({ ...input, merchantId, signingSecret: newSigningSecret(), createdAt: now, updatedAt: now })
    .returning();
  if (!row) throw new Error('alert rule insert returned nothing');
  const { signingSecret, ...rest } = row;
  return { ...rest, signingSecret, state: 'ok', firingSince: null };
}

/** Null when the merchant has no such rule. */
export async function updateAlertRule(
  db: PitchlineDb,
  merchantId: string,
  id: string,
  patch: z.output<typeof alertRulePatchSchema>,
): Promise<AlertRuleView | null> {
  const changed = await db
    .update(alertRules)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(alertRules.merchantId, merchantId), eq(alertRules.id, id)))
    .returning({ id: alertRules.id });
  if (changed.length === 0) return null;
  return getAlertRule(db, merchantId, id);
}

/** False when the merchant has no such rule. Its incidents and deliveries go with it. */
export async function deleteAlertRule(db: PitchlineDb, merchantId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(alertRules)
    .where(and(eq(alertRules.merchantId, merchantId), eq(alertRules.id, id)))
    .returning({ id: alertRules.id });
  return gone.length > 0;
}

/** How many rules a merchant has, to bound them. */
export async function countAlertRules(db: PitchlineDb, merchantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alertRules)
    .where(eq(alertRules.merchantId, merchantId));
  return Number(row?.n ?? 0);
}
