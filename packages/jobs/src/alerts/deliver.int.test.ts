import {
  alertRuleInputSchema,
  createAlertRule,
  insertAlertDelivery,
  listAlertDeliveries,
  seedDemo,
} from '@pitchline/db';
import { openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPendingDeliveries } from './deliver';
import { alertMessage } from './message';
import { verifySignature } from './signature';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';
import { webhookPolicyFor } from './webhook-url';

/*
 * Deliveries against a real local receiver (node:http on 127.0.0.1) and PGlite: retried with backoff
 * on 5xx until delivered, each attempt in the history; a 4xx is not retried; a refused URL is never
 * called; every request carries a signature the receiver verifies.
 */

let database: TestDatabase;
let merchantId: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  merchantId = (await seedDemo(database.db)).merchantId;
  receiver = await startWebhookReceiver();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await database?.close();
});

async function queue(webhookUrl: string) {
  const rule = await createAlertRule(
    database.db,
    merchantId,
    alertRuleInputSchema.parse({
      name: 'Not understood',
      metric: 'fallback_rate',
      condition: 'above',
      threshold: 0.05,
      windowMinutes: 60,
      webhookUrl,
    }),
  );
  const payload = alertMessage({
    kind: 'firing',
    rule: { ...rule, metric: 'fallback_rate', condition: 'above' },
    value: 0.2,
    at: new Date(),
  });
  const id = await insertAlertDelivery(database.db, {
    merchantId,
    ruleId: rule.id,
    kind: 'firing',
    payload,
    at: new Date(),
  });
  return { rule, id };
}

describe('sendPendingDeliveries', () => {
  const delays: number[] = [];
  const deps = () => ({
    db: database.db,
    policy: webhookPolicyFor(false),
    retry: { attempts: 5, baseMs: 1000, capMs: 30_000 },
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  });

  it('retries a 500 with backoff and records each attempt; delivered on the third', async () => {
    receiver.received.length = 0;
    delays.length = 0;
    receiver.answer('/hook', [500, 500, 200]);
    const { rule, id } = await queue(`${receiver.url}/hook`);
    const outcomes = await sendPendingDeliveries(deps(), [id]);
    expect(outcomes).toEqual([{ id, status: 'delivered', attempts: 3 }]);
    expect(receiver.received).toHaveLength(3);
    // Equal jitter: the n-th wait lies in [base·2^(n-1)/2, base·2^(n-1)].
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays[1]).toBeLessThanOrEqual(2000);
    for (const request of receiver.received) {
      expect(request.event).toBe('alert.firing');
      expect(
        verifySignature({ body: request.body, header: request.signature, secret: rule.signingSecret }).ok,
      ).toBe(true);
      expect(JSON.parse(request.body)).toMatchObject({ text: expect.stringContaining('Alert firing') });
    }
    const [history] = await listAlertDeliveries(database.db, merchantId, { ruleId: rule.id });
    expect(history).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200, error: null });
  });

  it('two senders at once send a delivery once: the first to claim it holds it', async () => {
    receiver.received.length = 0;
    const { id } = await queue(`${receiver.url}/once`);
    const [a, b] = await Promise.all([
      sendPendingDeliveries(deps(), [id]),
      sendPendingDeliveries(deps(), [id]),
    ]);
    expect([...(a ?? []), ...(b ?? [])]).toEqual([{ id, status: 'delivered', attempts: 1 }]);
    expect(receiver.received).toHaveLength(1);
  });

  it('gives up after the last attempt, with the last answer in the history', async () => {
    receiver.received.length = 0;
    receiver.answer('/down', [503, 503, 503, 503, 503]);
    const { rule, id } = await queue(`${receiver.url}/down`);
    expect(await sendPendingDeliveries(deps(), [id])).toEqual([{ id, status: 'failed', attempts: 5 }]);
    const [history] = await listAlertDeliveries(database.db, merchantId, { ruleId: rule.id });
    expect(history).toMatchObject({ status: 'failed', attempts: 5, responseStatus: 503 });
    expect(history?.error).toBe('the receiver answered HTTP 503');
  });

  it('does not retry a 4xx: the receiver refused the message', async () => {
    receiver.received.length = 0;
    receiver.answer('/gone', [404]);
    const { id } = await queue(`${receiver.url}/gone`);
    expect(await sendPendingDeliveries(deps(), [id])).toEqual([{ id, status: 'failed', attempts: 1 }]);
    expect(receiver.received).toHaveLength(1);
  });

  it('never calls a URL the policy refuses at delivery time (loopback on a production server)', async () => {
    receiver.received.length = 0;
    const { rule, id } = await queue(`${receiver.url}/hook`);
    const production = { ...deps(), policy: webhookPolicyFor(true) };
    expect(await sendPendingDeliveries(production, [id])).toEqual([{ id, status: 'failed', attempts: 1 }]);
    expect(receiver.received).toHaveLength(0);
    const [history] = await listAlertDeliveries(database.db, merchantId, { ruleId: rule.id });
    expect(history?.error).toContain('127.0.0.1: it is a loopback address');
    expect(history?.responseStatus).toBeNull();
  });

  it('pins the connection to checked addresses: a name resolving to loopback is refused in production', async () => {
    receiver.received.length = 0;
    const { port } = new URL(receiver.url);
    const { id } = await queue(`http://receiver.test:${port}/hook`);
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const production = { ...deps(), policy: webhookPolicyFor(true, lookup) };
    expect(await sendPendingDeliveries(production, [id])).toMatchObject([{ status: 'failed' }]);
    expect(receiver.received).toHaveLength(0);
    // The same name outside production reaches the local receiver through the pinned lookup.
    const { id: again } = await queue(`http://receiver.test:${port}/hook`);
    const development = { ...deps(), policy: webhookPolicyFor(false, lookup) };
    expect(await sendPendingDeliveries(development, [again])).toMatchObject([{ status: 'delivered' }]);
    expect(receiver.received).toHaveLength(1);
  });
});
