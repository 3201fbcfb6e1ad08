import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toEventRow } from '@pitchline/analytics';
import { openTestClickHouse, simulateExperiment, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId, type PitchlineEvent } from '@pitchline/core';
import {
  alertRuleInputSchema,
  createAlertRule,
  createExperiment,
  DEMO_MERCHANT_ID,
  getAlertRule,
  listAlertDeliveries,
  seedDemo,
  startExperiment,
} from '@pitchline/db';
import {
  type Backend,
  openTestDatabase,
  postgresUnavailableReason,
  type TestDatabase,
} from '@pitchline/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from './evaluate-alerts';
import { SIGNATURE_HEADER, verifySignature } from './signature';
import { webhookPolicyFor } from './webhook-url';

/*
 * The evaluator against real stores (chDB, and PGlite or the test PostgreSQL): a day-over-day drop in
 * paid conversion, a sample-ratio mismatch on a running experiment and the event log backing up each
 * fire once and recover once; two evaluators running at the same moment on one database (what a lost
 * and re-taken scheduler lock could cause) still send one delivery per transition.
 */

const PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Now" for the evaluations: a fixed instant, so the windows hold exactly the events below. */
const NOW = Date.parse('2026-11-20T12:00:00Z');

let ch: TestClickHouse;
let receiver: Server;
let hook: string;
const received: { path: string; body: string; signature: string | undefined }[] = [];

function session(id: string, ts: number, paid: boolean): PitchlineEvent[] {
  const base = { merchant_id: DEMO_MERCHANT_ID, skill_id: 'skill', user_id: `u-${id}`, session_id: id };
  const events: PitchlineEvent[] = [
    {
      ...base,
      event_id: newEventId(),
      ts,
      type: 'session_start',
      locale: 'en-US',
      has_screen: false,
      new_user: true,
    },
  ];
  if (paid) {
    events.push({
      ...base,
      event_id: newEventId(),
      ts: ts + 60_000,
      type: 'payment_succeeded',
      order_id: newEventId(),
      amount: 1_000,
      currency: 'USD',
      variants: [],
    });
  }
  return events;
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  const events: PitchlineEvent[] = [];
  // Yesterday's window: 10 sessions, 5 paid (50 %). Today's: 10 sessions, 2 paid (20 %): down 60 %.
  for (let i = 0; i < 10; i++) events.push(...session(`y${i}`, NOW - 2 * DAY + HOUR + i * 60_000, i < 5));
  for (let i = 0; i < 10; i++) events.push(...session(`t${i}`, NOW - DAY + HOUR + i * 60_000, i < 2));
  await ch.client.insert({
    table: `${ch.database}.events`,
    format: 'JSONEachRow',
    values: events.map(toEventRow),
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        body,
        signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await ch?.dispose();
});

for (const backend of backends) {
  (backend.skip ? describe.skip : describe)(`evaluateAlerts on ${backend.kind}`, () => {
    let database: TestDatabase;
    let backlog = 0;
    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL });
      await seedDemo(database.db);
    }, 60_000);
    afterAll(() => database?.close());

    const evaluate = (at = NOW) =>
      evaluateAlerts({
        db: database.db,
        ch,
        policy: webhookPolicyFor(false),
        eventLogBacklog: () => backlog,
        now: () => new Date(at),
        sleep: async () => {},
      });
    const rule = (path: string, fields: Record<string, unknown>) =>
      createAlertRule(
        database.db,
        DEMO_MERCHANT_ID,
        alertRuleInputSchema.parse({
          name: path,
          threshold: 0,
          windowMinutes: 1440,
          webhookUrl: `${hook}/${backend.kind}${path}`,
          ...fields,
        }),
      );
    const at = (path: string) => received.filter((r) => r.path === `/${backend.kind}${path}`);

    it('paid conversion down 30 % day over day fires once, with both figures, even with two evaluators at once', async () => {
      const created = await rule('/conversion', {
        metric: 'paid_conversion',
        condition: 'drops_by',
        threshold: 0.3,
      });
      // Two evaluators at the same instant: one incident, one delivery, one request.
      await Promise.all([evaluate(), evaluate()]);
      await evaluate(NOW + 60_000);
      expect(at('/conversion')).toHaveLength(1);
      const [message] = at('/conversion');
      expect(
        verifySignature({
          body: message?.body ?? '',
          header: message?.signature,
          secret: created.signingSecret,
          // Signed at the evaluation's clock, so checked against it.
          nowSeconds: Math.floor(NOW / 1000),
        }).ok,
      ).toBe(true);
      const text = JSON.parse(message?.body ?? '{}').text as string;
      expect(text).toContain('Conversion is 20.0 %');
      expect(message?.body).toContain('Previous window: 50.0 %');
      expect((await getAlertRule(database.db, DEMO_MERCHANT_ID, created.id))?.state).toBe('firing');
      // A day later the windows hold today's 20 % and then nothing: no data, so no recovery is claimed.
      await evaluate(NOW + 2 * DAY);
      expect(at('/conversion')).toHaveLength(1);
      expect((await getAlertRule(database.db, DEMO_MERCHANT_ID, created.id))?.state).toBe('firing');
    });

    it('the event log backing up fires, and recovers once it drained', async () => {
      const created = await rule('/backlog', {
        metric: 'event_log_backlog',
        condition: 'above',
        threshold: 1000,
      });
      backlog = 50;
      await evaluate();
      expect(at('/backlog')).toHaveLength(0);
      backlog = 25_000;
      await evaluate();
      await evaluate();
      backlog = 10;
      await evaluate();
      await evaluate();
      const kinds = (await listAlertDeliveries(database.db, DEMO_MERCHANT_ID, { ruleId: created.id })).map(
        (d) => [d.kind, d.status],
      );
      expect(kinds).toEqual([
        ['recovered', 'delivered'],
        ['firing', 'delivered'],
      ]);
      expect(JSON.parse(at('/backlog')[0]?.body ?? '{}').text).toContain(
        'Events waiting in the event log is 25,000',
      );
    });

    it('a running experiment with a sample-ratio mismatch fires, naming it', async () => {
      const created = await createExperiment(database.db, DEMO_MERCHANT_ID, null, {
        key: `srm-${backend.kind}`,
        name: `Split check ${backend.kind}`,
        hypothesis: 'Two pitches, split evenly',
        scope: { kind: 'launch' },
        variants: [
          {
            key: 'a',
            name: 'a',
            template: 'Pitch a: {{product}} for {{price}}.',
            weight: 1,
            isControl: true,
          },
          {
            key: 'b',
            name: 'b',
            template: 'Pitch b: {{product}} for {{price}}.',
            weight: 1,
            isControl: false,
          },
        ],
        primaryMetric: 'conversion',
        conversionWindowHours: 24,
      });
      const started = await startExperiment(database.db, DEMO_MERCHANT_ID, null, created.id);
      const start = (started.startedAt as Date).getTime();
      // 300 shoppers heard a, 100 heard b: far from the 1:1 split set.
      const exposures: PitchlineEvent[] = [];
      for (const [key, n] of [
        ['a', 300],
        ['b', 100],
      ] as const) {
        for (let i = 0; i < n; i++) {
          exposures.push({
            merchant_id: DEMO_MERCHANT_ID,
            skill_id: 'skill',
            user_id: `${backend.kind}-${key}-${i}`,
            session_id: `${backend.kind}-${key}-${i}-s`,
            event_id: newEventId(),
            ts: start + 60_000 + i * 100,
            type: 'pitch_exposure',
            experiment_id: started.id,
            experiment_key: started.key,
            variant_key: key,
            assignment_probability: 0.5,
          });
        }
      }
      await ch.client.insert({
        table: `${ch.database}.events`,
        format: 'JSONEachRow',
        values: exposures.map(toEventRow),
      });
      const srm = await rule('/srm', { metric: 'experiment_srm', condition: 'above', threshold: 0 });
      await evaluateAlerts({
        db: database.db,
        ch,
        policy: webhookPolicyFor(false),
        now: () => new Date(start + 2 * HOUR),
        sleep: async () => {},
      });
      expect(at('/srm')).toHaveLength(1);
      expect(at('/srm')[0]?.body).toContain(`Experiments: Split check ${backend.kind}`);
      expect((await getAlertRule(database.db, DEMO_MERCHANT_ID, srm.id))?.lastValue).toBeGreaterThanOrEqual(
        1,
      );
    });

    it('a running experiment whose variant breaches a guardrail fires, naming it', async () => {
      const created = await createExperiment(database.db, DEMO_MERCHANT_ID, null, {
        key: `guard-${backend.kind}`,
        name: `Stop check ${backend.kind}`,
        hypothesis: 'A pushier pitch sells more without driving shoppers away',
        scope: { kind: 'launch' },
        variants: [
          {
            key: 'a',
            name: 'a',
            template: 'Pitch a: {{product}} for {{price}}.',
            weight: 1,
            isControl: true,
          },
          {
            key: 'b',
            name: 'b',
            template: 'Pitch b: {{product}} for {{price}}.',
            weight: 1,
            isControl: false,
          },
        ],
        primaryMetric: 'conversion',
        guardrailMetrics: ['stop_after_pitch'],
        conversionWindowHours: 24,
      });
      const started = await startExperiment(database.db, DEMO_MERCHANT_ID, null, created.id);
      const start = (started.startedAt as Date).getTime();
      // The same conversion, but 30 % of b's shoppers say "stop" right after its pitch (a's: none).
      const events = simulateExperiment({
        merchantId: DEMO_MERCHANT_ID,
        experimentId: started.id,
        experimentKey: started.key,
        startMs: start,
        days: 7,
        users: 3000,
        seed: 7,
        userPrefix: `guard-${backend.kind}`,
        variants: [
          { key: 'a', weight: 1, pConvert: 0.1 },
          { key: 'b', weight: 1, pConvert: 0.1, pStop: 0.3 },
        ],
      });
      await ch.client.insert({
        table: `${ch.database}.events`,
        format: 'JSONEachRow',
        values: events.map(toEventRow),
      });
      await rule('/guardrail', { metric: 'experiment_guardrail', condition: 'above', threshold: 0 });
      await evaluateAlerts({
        db: database.db,
        ch,
        policy: webhookPolicyFor(false),
        now: () => new Date(start + 8 * DAY),
        sleep: async () => {},
      });
      expect(at('/guardrail')).toHaveLength(1);
      expect(at('/guardrail')[0]?.body).toContain(`Stop check ${backend.kind}`);
      expect(at('/guardrail')[0]?.body).not.toContain(`Split check ${backend.kind}`);
    });
  });
}
