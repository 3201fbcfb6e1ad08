import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { type ExperimentDefinitionInput, newEventId, type PitchlineEvent } from '@pitchline/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { experimentDefinition, insertEvents } from '../testing/fixtures';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  openHarness,
} from '../testing/harness';

/*
 * GET /experiments/:id/results over real chDB: the route passes the caller's merchant and the stored
 * definition to analytics, so a handful of hand-written events must come back counted exactly, and
 * events another merchant wrote under the same experiment id must not count.
 */

let ch: TestClickHouse;
let h: Harness;
let ownerA: Client;
let analystA: Client;
let ownerB: Client;
beforeAll(async () => {
  ch = await openTestClickHouse();
  h = await openHarness({ ch });
  // The store stamps startedAt with the real time; sessions and results must live in the same time.
  h.clock.now = new Date();
  ownerA = await h.login(A_OWNER.email, A_OWNER.password);
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
});

const HOUR = 3_600_000;

function eventsFor(
  merchantId: string,
  experiment: { id: string; key: string },
  startedAt: number,
  users: { user: string; variant: string; paid?: number }[],
): PitchlineEvent[] {
  return users.flatMap(({ user, variant, paid }, i) => {
    const base = { merchant_id: merchantId, skill_id: 'skill-1', user_id: user, session_id: `${user}-s` };
    const ts = startedAt + HOUR + i * 60_000;
    const exposure: PitchlineEvent = {
      ...base,
      event_id: newEventId(),
      ts,
      type: 'pitch_exposure',
      experiment_id: experiment.id,
      experiment_key: experiment.key,
      variant_key: variant,
      assignment_probability: variant === 'scarcity' ? 0.5 : 0.25,
    };
    if (paid === undefined) return [exposure];
    const payment: PitchlineEvent = {
      ...base,
      event_id: newEventId(),
      ts: ts + 10 * 60_000,
      type: 'payment_succeeded',
      order_id: newEventId(),
      amount: paid,
      currency: 'USD',
      variants: [`${experiment.key}:${variant}`],
    };
    return [exposure, payment];
  });
}

async function create(client: Client, json: ExperimentDefinitionInput) {
  const res = await client.api.experiments.$post({ json });
  expectStatus(res, 201);
  return (await res.json()).experiment;
}

/** Starts the experiment; the store stamps its start with the real time. */
async function start(client: Client, id: string) {
  const res = await client.api.experiments[':id'].start.$post({ param: { id } });
  expectStatus(res, 200);
  const { experiment } = await res.json();
  if (!experiment.startedAt) throw new Error('a started experiment has no start');
  return Date.parse(experiment.startedAt);
}

const results = (client: Client, id: string) => client.api.experiments[':id'].results.$get({ param: { id } });

it('reads results of a running experiment, counting only the caller merchant’s events', async () => {
  const experiment = await create(ownerA, experimentDefinition('results-demo'));

  const early = await results(analystA, experiment.id);
  expect(early.status).toBe(409);

  const startedAt = await start(ownerA, experiment.id);
  await insertEvents(ch, [
    ...eventsFor(h.merchantA, experiment, startedAt, [
      { user: 'a1', variant: 'control', paid: 1200 },
      { user: 'a2', variant: 'control' },
      { user: 'a3', variant: 'origin', paid: 1500 },
      { user: 'a4', variant: 'origin', paid: 900 },
      { user: 'a5', variant: 'scarcity' },
      { user: 'a6', variant: 'scarcity', paid: 2000 },
      { user: 'a7', variant: 'scarcity' },
    ]),
    // Another tenant's events under this experiment's id: never A's numbers.
    ...eventsFor(h.merchantB, experiment, startedAt, [
      { user: 'b1', variant: 'control', paid: 99_999 },
      { user: 'b2', variant: 'origin', paid: 99_999 },
    ]),
  ]);
  h.clock.now = new Date(startedAt + 6 * HOUR);

  const res = await results(analystA, experiment.id);
  expectStatus(res, 200);
  const { results: read } = await res.json();
  expect(read.key).toBe('results-demo');
  const byKey = Object.fromEntries(read.variants.map((v) => [v.key, v]));
  expect(byKey.control).toMatchObject({ exposedUsers: 2, conversions: 1, revenue: 1200 });
  expect(byKey.origin).toMatchObject({ exposedUsers: 2, conversions: 2, revenue: 2400 });
  expect(byKey.scarcity).toMatchObject({ exposedUsers: 3, conversions: 1, revenue: 2000 });
  expect(typeof read.verdict.decision).toBe('string');

  // The other merchant cannot read A's results, even though its own events carry this id.
  expect((await results(ownerB, experiment.id)).status).toBe(404);
});

it('winsorises revenue at the definition’s revenueCapQuantile, and reports the holdout as its own row', async () => {
  const definition = {
    ...experimentDefinition('results-capped'),
    revenueCapQuantile: 0.6,
    holdoutPercent: 10,
  };
  const experiment = await create(ownerA, definition);
  // Stored with the definition, and fixed once the experiment runs (it is an analysis choice).
  expect(experiment.revenueCapQuantile).toBe(0.6);
  const startedAt = await start(ownerA, experiment.id);
  const edit = await ownerA.api.experiments[':id'].$patch({
    param: { id: experiment.id },
    json: { revenueCapQuantile: 0.99 },
  });
  expect(edit.status).toBe(409);

  await insertEvents(
    ch,
    eventsFor(h.merchantA, experiment, startedAt, [
      { user: 'c1', variant: 'control', paid: 1000 },
      { user: 'c2', variant: 'control', paid: 1000 },
      { user: 'o1', variant: 'origin', paid: 1000 },
      // A whale: buyers' revenue sorted is [1000 × 4, 50 000]; ClickHouse's quantileExact(0.6) is the
      // element at ⌊0.6 · 5⌋ = 3, so 1000 caps it.
      { user: 'o2', variant: 'origin', paid: 50_000 },
      { user: 's1', variant: 'scarcity', paid: 1000 },
      { user: 'h1', variant: 'holdout' },
      { user: 'h2', variant: 'holdout', paid: 700 },
    ]),
  );
  h.clock.now = new Date(startedAt + 6 * HOUR);
  const res = await results(analystA, experiment.id);
  expectStatus(res, 200);
  const { results: read } = await res.json();
  expect(read.revenueCap).toEqual({ quantile: 0.6 });
  const origin = read.variants.find((v) => v.key === 'origin');
  // What was taken stays uncapped; revenue per user is capped: (1000 + 1000) / 2.
  expect(origin?.revenue).toBe(51_000);
  expect(origin?.metrics.find((m) => m.metric === 'revenue_per_user')?.value).toBe(1000);
  expect(read.holdout).toMatchObject({ exposedUsers: 2, conversions: 1, revenue: 700 });
  expect(read.variants.map((v) => v.key)).not.toContain('holdout');
});
