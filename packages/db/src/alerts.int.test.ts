import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enabledAlertRules,
  listAlertDeliveries,
  openAlertIncident,
  pendingAlertDeliveries,
  pruneAlertHistory,
  recordAlertEvaluation,
  recordDeliveryAttempt,
  resolveAlertIncident,
} from './alert-incidents';
import {
  alertRuleInputSchema,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  updateAlertRule,
} from './alert-rules';
import { seedDemo } from './seed';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from './testing';

/*
 * The alert store on both backends: one open incident per rule at most (so a rule fires once per
 * incident even if two evaluators overlapped), a rule's state read from it, and tenant-scoped reads.
 */

const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];
const OTHER_MERCHANT = '01936f4e-0000-7000-8000-0000000000ff';

for (const backend of backends) {
  (backend.skip ? describe.skip : describe)(`alerts store on ${backend.kind}`, () => {
    let database: TestDatabase;
    let merchantId: string;
    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL });
      merchantId = (await seedDemo(database.db)).merchantId;
    }, 60_000);
    afterAll(() => database?.close());

    const input = alertRuleInputSchema.parse({
      name: 'Not understood over an hour',
      metric: 'fallback_rate',
      condition: 'above',
      threshold: 0.05,
      windowMinutes: 60,
      webhookUrl: 'https://hooks.example.com/x',
    });

    it('creates, reads, updates and deletes a rule of its merchant only', async () => {
      const { db } = database;
      const created = await createAlertRule(db, merchantId, input);
      expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(created.state).toBe('ok');
      const listed = await listAlertRules(db, merchantId);
      expect(listed.map((r) => r.id)).toContain(created.id);
      expect(listed[0]).not.toHaveProperty('signingSecret');
      expect(await getAlertRule(db, OTHER_MERCHANT, created.id)).toBeNull();
      expect(await updateAlertRule(db, OTHER_MERCHANT, created.id, { threshold: 0.5 })).toBeNull();
      expect(await deleteAlertRule(db, OTHER_MERCHANT, created.id)).toBe(false);
      const updated = await updateAlertRule(db, merchantId, created.id, { threshold: 0.1 });
      expect(updated?.threshold).toBe(0.1);
      expect(await deleteAlertRule(db, merchantId, created.id)).toBe(true);
      expect(await getAlertRule(db, merchantId, created.id)).toBeNull();
    });

    it('opens one incident per breach, resolves it once, and each transition queues one delivery', async () => {
      const { db } = database;
      const rule = await createAlertRule(db, merchantId, input);
      const at = new Date('2026-12-01T10:00:00Z');
      const opened = await openAlertIncident(db, rule, at, 0.2, (id) => ({ text: `firing ${id}` }));
      expect(opened).not.toBeNull();
      // A second open while the first is open is refused by the partial unique index: no second delivery.
      expect(await openAlertIncident(db, rule, at, 0.3, () => ({ text: 'again' }))).toBeNull();
      expect((await getAlertRule(db, merchantId, rule.id))?.state).toBe('firing');
      await recordAlertEvaluation(db, rule.id, new Date('2026-12-01T10:05:00Z'), 0.2);
      const evaluated = await getAlertRule(db, merchantId, rule.id);
      expect(evaluated).toMatchObject({ lastValue: 0.2, updatedAt: rule.updatedAt });
      expect(evaluated?.lastEvaluatedAt?.toISOString()).toBe('2026-12-01T10:05:00.000Z');
      const evaluator = (await enabledAlertRules(db)).find((r) => r.rule.id === rule.id);
      expect(evaluator?.openIncidentId).toBe(opened?.incidentId);

      const incidentId = opened?.incidentId ?? '';
      const later = new Date(at.getTime() + 60_000);
      expect(await resolveAlertIncident(db, rule, incidentId, later, 0.01, { text: 'ok' })).not.toBeNull();
      expect(await resolveAlertIncident(db, rule, incidentId, later, 0.01, { text: 'ok' })).toBeNull();
      expect((await getAlertRule(db, merchantId, rule.id))?.state).toBe('ok');

      const pending = (await pendingAlertDeliveries(db)).filter((p) => p.delivery.ruleId === rule.id);
      expect(pending.map((p) => p.delivery.kind)).toEqual(['firing', 'recovered']);
      expect(pending[0]?.signingSecret).toBe(rule.signingSecret);
      await recordDeliveryAttempt(db, pending[0]?.delivery.id ?? '', {
        attempts: 3,
        status: 'delivered',
        responseStatus: 200,
        error: null,
        at,
      });
      const history = await listAlertDeliveries(db, merchantId, { ruleId: rule.id });
      expect(history.map((d) => [d.kind, d.status, d.attempts])).toEqual(
        expect.arrayContaining([
          ['firing', 'delivered', 3],
          ['recovered', 'pending', 0],
        ]),
      );
      expect(await listAlertDeliveries(db, OTHER_MERCHANT)).toEqual([]);
    });

    it('prunes settled history older than the cut-off, and keeps what is pending or open', async () => {
      const { db } = database;
      const rule = await createAlertRule(db, merchantId, { ...input, name: 'Pruned' });
      const old = new Date('2025-01-01T00:00:00Z');
      const opened = await openAlertIncident(db, rule, old, 0.2, () => ({ text: 'old firing' }));
      const resolved = await resolveAlertIncident(db, rule, opened?.incidentId ?? '', old, 0.01, {
        text: 'ok',
      });
      await recordDeliveryAttempt(db, opened?.deliveryId ?? '', {
        attempts: 1,
        status: 'delivered',
        responseStatus: 200,
        error: null,
        at: old,
      });
      await openAlertIncident(db, rule, old, 0.3, () => ({ text: 'still open' }));
      const pruned = await pruneAlertHistory(db, new Date('2025-06-01T00:00:00Z'));
      expect(pruned).toEqual({ deliveries: 1, incidents: 0 });
      const left = await listAlertDeliveries(db, merchantId, { ruleId: rule.id });
      // The recovered delivery was never sent (pending) and the second incident is open: both kept.
      expect(left.map((d) => d.kind).sort()).toEqual(['firing', 'recovered']);
      expect(left.find((d) => d.kind === 'recovered')?.status).toBe('pending');
      expect(resolved).not.toBeNull();
      expect((await getAlertRule(db, merchantId, rule.id))?.state).toBe('firing');
      // Once its recovery is settled, the old incident goes too.
      const recovered = left.find((d) => d.kind === 'recovered');
      await recordDeliveryAttempt(db, recovered?.id ?? '', {
        attempts: 1,
        status: 'failed',
        responseStatus: 500,
        error: 'down',
        at: old,
      });
      expect(await pruneAlertHistory(db, new Date('2025-06-01T00:00:00Z'))).toEqual({
        deliveries: 1,
        incidents: 1,
      });
    });

    it('refuses bad input in plain words', () => {
      const bad = alertRuleInputSchema.safeParse({ ...input, name: ' ', windowMinutes: 2, threshold: -1 });
      expect(bad.success).toBe(false);
      const messages = bad.error?.issues.map((i) => i.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'Give the rule a name.',
          'The window is at least 5 minutes.',
          'The threshold cannot be negative.',
        ]),
      );
    });
  });
}
