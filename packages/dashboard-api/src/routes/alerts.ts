import {
  ALERT_CONDITIONS,
  ALERT_METRICS,
  type AlertCondition,
  type AlertMetric,
  type AlertRuleView,
  alertRuleForDelivery,
  alertRuleInputSchema,
  alertRulePatchSchema,
  countAlertRules,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  insertAlertDelivery,
  listAlertDeliveries,
  listAlertRules,
  updateAlertRule,
} from '@pitchline/db';
import {
  ALERT_METRIC_INFO,
  alertMessage,
  checkWebhookUrl,
  conditionProblem,
  describeCondition,
  SIGNATURE_HEADER,
  sendPendingDeliveries,
  thresholdProblem,
} from '@pitchline/jobs/alerts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { auditActor, writeAudit } from '../auth/audit';
import type { Caller, DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireScope, requireWrite } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';
import { isUuid } from '../http/ids';
import { validate } from '../http/validate';

/*
 * Alert rules and their delivery history (README "Alerts"). Everyone of the merchant reads them (analysts
 * and keys with analytics:read too); only owners write, and only owners see a rule's full webhook URL
 * (a Slack webhook URL is itself a credential: whoever has it can post to the channel). A webhook URL is
 * checked when saved — http(s), resolvable, and (on a production server) not a private, loopback or
 * link-local address — and again before every delivery.
 */

/** More would make one evaluation too long for its period; a merchant needs a handful. */
export const MAX_ALERT_RULES = 50;

const idParam = z.object({ id: z.string() });
const deliveriesQuery = z.object({ ruleId: z.string().optional() });

/** The project's 400, with the field at fault, so the form can show the words beside it. */
const fieldError = (c: Context, field: string, message: string) =>
  c.json(
    { error: 'invalid_request' as const, issues: [{ code: 'custom' as const, path: [field], message }] },
    400,
  );

/** What a reader who is not an owner sees of a URL: where it goes, not the secret part of it. */
function maskUrl(raw: string): string {
  try {
    return `${new URL(raw).origin}/…`;
  } catch {
    return '…';
  }
}

function present(rule: AlertRuleView, caller: Caller) {
  const metric = rule.metric as AlertMetric;
  const condition = rule.condition as AlertCondition;
  return {
    id: rule.id,
    name: rule.name,
    metric,
    condition,
    threshold: rule.threshold,
    windowMinutes: rule.windowMinutes,
    webhookUrl: caller.role === 'owner' ? rule.webhookUrl : maskUrl(rule.webhookUrl),
    enabled: rule.enabled,
    state: rule.state,
    firingSince: rule.firingSince?.toISOString() ?? null,
    lastEvaluatedAt: rule.lastEvaluatedAt?.toISOString() ?? null,
    lastValue: rule.lastValue,
    description: describeCondition({ ...rule, metric, condition }),
    createdAt: rule.createdAt.toISOString(),
  };
}

const METRIC_LIST = ALERT_METRICS.map((id) => ALERT_METRIC_INFO[id]);

export function alertRoutes(settings: Settings) {
  const { db } = settings;
  const policy = settings.alertWebhooks;
  // After the store's write: an entry can only be missing for a change that happened, never invented.
  const audit = (
    caller: Caller,
    action: 'alert_rule_created' | 'alert_rule_changed' | 'alert_rule_deleted',
    name: string,
    details: Record<string, unknown>,
  ) =>
    writeAudit(db, {
      merchantId: caller.merchantId,
      action,
      ...auditActor(caller),
      target: name,
      details,
      at: settings.now(),
    });

  /** The checks a schema cannot make: condition against metric, threshold range, the URL itself. */
  const refuseRule = async (
    c: Context,
    rule: { metric: AlertMetric; condition: AlertCondition; threshold: number },
    webhookUrl: string | undefined,
  ) => {
    const badCondition = conditionProblem(rule.metric, rule.condition);
    if (badCondition) return fieldError(c, 'condition', badCondition);
    const badThreshold = thresholdProblem(rule.metric, rule.condition, rule.threshold);
    if (badThreshold) return fieldError(c, 'threshold', badThreshold);
    if (webhookUrl !== undefined) {
      const check = await checkWebhookUrl(webhookUrl, policy);
      if (!check.ok) return fieldError(c, 'webhookUrl', check.reason);
    }
    return undefined;
  };

  return new Hono<DashboardEnv>()
    .use(authenticate(settings), csrfToken(), requireScope('analytics:read'))
    .get('/rules', async (c) => {
      const caller = c.get('caller');
      const rules = await listAlertRules(db, caller.merchantId);
      return c.json(
        {
          rules: rules.map((r) => present(r, caller)),
          metrics: METRIC_LIST,
          conditions: ALERT_CONDITIONS,
          signatureHeader: SIGNATURE_HEADER,
        },
        200,
      );
    })
    .post('/rules', requireWrite(), validate('json', alertRuleInputSchema), async (c) => {
      const caller = c.get('caller');
      const input = c.req.valid('json');
      const refused = await refuseRule(c, input, input.webhookUrl);
      if (refused) return refused;
      if ((await countAlertRules(db, caller.merchantId)) >= MAX_ALERT_RULES) {
        return fieldError(
          c,
          'name',
          `A merchant has at most ${MAX_ALERT_RULES} alert rules; delete one first.`,
        );
      }
      const { signingSecret, ...rule } = await createAlertRule(db, caller.merchantId, input, settings.now());
      await audit(caller, 'alert_rule_created', rule.name, {
        ruleId: rule.id,
        webhookOrigin: maskUrl(rule.webhookUrl),
      });
      // The only time the secret is shown: the receiver needs it to verify signatures.
      return c.json({ rule: present({ ...rule }, caller), signingSecret }, 201);
    })
    .patch(
      '/rules/:id',
      requireWrite(),
      validate('param', idParam),
      validate('json', alertRulePatchSchema),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        const current = isUuid(id) ? await getAlertRule(db, caller.merchantId, id) : null;
        if (!current) return notFound(c);
        const merged = {
          metric: patch.metric ?? (current.metric as AlertMetric),
          condition: patch.condition ?? (current.condition as AlertCondition),
          threshold: patch.threshold ?? current.threshold,
        };
        const refused = await refuseRule(c, merged, patch.webhookUrl);
        if (refused) return refused;
        const updated = await updateAlertRule(db, caller.merchantId, id, patch);
        if (!updated) return notFound(c);
        await audit(caller, 'alert_rule_changed', updated.name, {
          ruleId: id,
          fields: Object.keys(patch),
          ...(patch.webhookUrl ? { webhookOrigin: maskUrl(updated.webhookUrl) } : {}),
        });
        return c.json({ rule: present(updated, caller) }, 200);
      },
    )
    .delete('/rules/:id', requireWrite(), validate('param', idParam), async (c) => {
      const caller = c.get('caller');
      const { id } = c.req.valid('param');
      const rule = isUuid(id) ? await getAlertRule(db, caller.merchantId, id) : null;
      if (!rule || !(await deleteAlertRule(db, caller.merchantId, id))) return notFound(c);
      await audit(caller, 'alert_rule_deleted', rule.name, { ruleId: id });
      return c.body(null, 204);
    })
    .post('/rules/:id/test', requireWrite(), validate('param', idParam), async (c) => {
      const caller = c.get('caller');
      const { id } = c.req.valid('param');
      const rule = isUuid(id) ? await alertRuleForDelivery(db, caller.merchantId, id) : null;
      if (!rule) return notFound(c);
      const at = settings.now();
      const metric = rule.metric as AlertMetric;
      const condition = rule.condition as AlertCondition;
      const payload = alertMessage({
        kind: 'test',
        rule: { ...rule, metric, condition },
        value: rule.lastValue,
        at,
      });
      const deliveryId = await insertAlertDelivery(db, {
        merchantId: caller.merchantId,
        ruleId: rule.id,
        kind: 'test',
        payload,
        at,
      });
      // One attempt: the owner waits for the answer, and a test is not worth retrying behind their back.
      await sendPendingDeliveries({ db, policy, retry: { attempts: 1, baseMs: 0, capMs: 0 } }, [deliveryId]);
      const [delivery] = (
        await listAlertDeliveries(db, caller.merchantId, { ruleId: rule.id, limit: 5 })
      ).filter((d) => d.id === deliveryId);
      if (!delivery) return notFound(c);
      return c.json({ delivery: presentDelivery(delivery) }, 200);
    })
    .get('/deliveries', validate('query', deliveriesQuery), async (c) => {
      const { ruleId } = c.req.valid('query');
      if (ruleId !== undefined && !isUuid(ruleId)) return c.json({ deliveries: [] }, 200);
      const deliveries = await listAlertDeliveries(db, c.get('caller').merchantId, { ruleId, limit: 200 });
      return c.json({ deliveries: deliveries.map(presentDelivery) }, 200);
    });
}

function presentDelivery(d: Awaited<ReturnType<typeof listAlertDeliveries>>[number]) {
  return {
    id: d.id,
    ruleId: d.ruleId,
    ruleName: d.ruleName,
    kind: d.kind as 'firing' | 'recovered' | 'test',
    status: d.status as 'pending' | 'delivered' | 'failed',
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    error: d.error,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}
