import type { PitchlineEvent } from '@pitchline/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openTestClickHouse, type TestClickHouse } from '../testing';
import {
  encodeCursor,
  querySessionSearch,
  SESSION_OUTCOMES,
  type SessionSearchInput,
  sessionSearchSchema,
} from './session-search.query';
import { bruteSessionSearch } from './testing/brute-session-search';
import { type GeneratedData, generateEvents } from './testing/generate';
import { insertGenerated } from './testing/insert';

/**
 * Generated session searches (every filter the API takes, the free-text q, the cursor), mixing values
 * the data holds with hostile ones, against two merchants' events: the schema never throws, a search
 * it refuses is refused with a ZodError and nothing else, and a search it accepts runs without a SQL
 * error and returns exactly the page the brute-force reference (testing/brute.ts) computes from this
 * merchant's events alone, so nothing of the other merchant leaks in and no value is read as SQL.
 * Fixed seeds; few runs, each one a real chDB query.
 */
let ch: TestClickHouse;
let data: GeneratedData;
let mine: string;
let theirs: string;
let eventsBefore = 0;
const range = { from: '2026-03-02', to: '2026-03-04' };
const RUNS = 80;

async function countEvents(): Promise<number> {
  const rows = await (
    await ch.client.query({ query: `SELECT count() AS n FROM ${ch.database}.events`, format: 'JSONEachRow' })
  ).json<{ n: string | number }>();
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  ch = await openTestClickHouse();
  data = generateEvents({
    seed: 29,
    merchants: 2,
    sessionsPerMerchant: 120,
    startMs: Date.parse('2026-03-02T00:00:00Z'),
    days: 3,
  });
  [mine, theirs] = data.merchants as [string, string];
  // Money after the dialogs and in small batches, as webhooks deliver it: a paid session's summary is
  // several unmerged rows the query must combine.
  const money = new Set(['payment_succeeded', 'payment_failed', 'refund']);
  await insertGenerated(
    ch,
    data.events.filter((e) => !money.has(e.type)),
    997,
  );
  await insertGenerated(
    ch,
    data.events.filter((e) => money.has(e.type)),
    997,
  );
  eventsBefore = await countEvents();
}, 60_000);

afterAll(async () => {
  await ch?.dispose();
});

const HOSTILE_PIECES = [
  "'",
  '"',
  '\\',
  '`',
  '%',
  '_',
  '.*',
  '--',
  '/*',
  ';',
  ')',
  '(',
  ' OR 1=1',
  '{q:String}',
  '{merchantId:UUID}',
  '{qw0:String}',
  '{cursorId:String}',
  'UNION SELECT',
  '<speak>',
  '\u0000',
  '\n',
  '\t',
  '😀',
  'DROP TABLE events',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** Absent two times in three: a search stacking every filter would rarely find anything to compare. */
const maybe = <T>(arb: fc.Arbitrary<T>, absent = 2) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
/** Mostly a value the field can hold, sometimes a hostile one (which the schema mostly refuses). */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  maybe(fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: hostile, weight: 1 }));

/** Words and phrases the data holds (intents, what shoppers said, what Alexa said), to be searched for. */
function saidInData(): string[] {
  const out = new Set<string>();
  for (const e of data.events) {
    if (e.type !== 'turn') continue;
    if (e.intent) out.add(e.intent);
    for (const s of e.slots) out.add(s.value);
    const spoken = e.response_ssml.replace(/<[^>]*>/g, ' ').trim();
    for (const w of spoken.split(/\s+/)) if (w) out.add(w);
    out.add(spoken.split(/\s+/).slice(0, 2).join(' '));
  }
  return [...out];
}

function variantsInData(): string[] {
  const out = new Set<string>();
  for (const e of data.events)
    if (e.type === 'pitch_exposure') out.add(`${e.experiment_key}:${e.variant_key}`);
  return [...out];
}

const sessionIds = (merchant: string) =>
  [...new Set(data.events.filter((e) => e.merchant_id === merchant).map((e) => e.session_id))].slice(0, 30);

function searchArb(): fc.Arbitrary<Record<string, unknown>> {
  const products = [...(data.products.get(mine) ?? []), ...(data.products.get(theirs) ?? [])].map(
    (p) => p.id,
  );
  const said = saidInData();
  // A cursor the search itself could have returned, pointing anywhere, with a session id that may be
  // hostile: its two parts travel as parameters too.
  const cursor = fc
    .record({
      startedAt: fc.integer({ min: Date.parse('2026-03-01'), max: Date.parse('2026-03-06') }),
      sessionId: fc.oneof(
        fc.constantFrom(...sessionIds(mine)),
        hostile.filter((s) => s.length > 0),
      ),
    })
    .map(encodeCursor);
  return fc.record(
    {
      q: maybe(
        fc.oneof(
          { arbitrary: fc.constantFrom(...said), weight: 4 },
          { arbitrary: fc.constantFrom(...said).map((s) => s.toUpperCase()), weight: 2 },
          { arbitrary: fc.constantFrom(...sessionIds(mine)), weight: 2 },
          { arbitrary: fc.constantFrom(...sessionIds(theirs)), weight: 1 },
          { arbitrary: hostile, weight: 3 },
          { arbitrary: fc.tuple(fc.constantFrom(...said), hostile).map(([a, b]) => `${a}${b}`), weight: 1 },
        ),
        1,
      ),
      outcome: mostly(fc.constantFrom(...SESSION_OUTCOMES, 'all')),
      // Hostile text after the colon passes the schema's shape check: it reaches the query as a parameter.
      variant: mostly(
        fc.oneof(
          fc.constantFrom(...variantsInData()),
          hostile.filter((h) => h.length > 0 && h.length < 150).map((h) => `voice-pitch:${h}`),
        ),
      ),
      productId: mostly(
        fc.oneof(
          { arbitrary: fc.constantFrom(...products), weight: 4 },
          { arbitrary: fc.constantFrom(...products).map((p) => p.toUpperCase()), weight: 2 },
          { arbitrary: fc.uuid(), weight: 1 },
        ),
      ),
      locale: mostly(fc.constantFrom('en-US', 'en-GB', 'de-DE', 'fr-FR', 'EN-us')),
      device: mostly(fc.constantFrom('screen', 'voice')),
      minTurns: maybe(
        fc.oneof(
          { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 6 },
          { arbitrary: fc.double(), weight: 1 },
        ),
      ),
      limit: maybe(
        fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 6 },
          { arbitrary: fc.integer({ min: -5, max: 300 }), weight: 1 },
        ),
      ),
      cursor: maybe(fc.oneof({ arbitrary: cursor, weight: 3 }, { arbitrary: hostile, weight: 1 }), 4),
      tz: mostly(fc.constantFrom('UTC', 'America/Los_Angeles', 'Asia/Kathmandu')),
    },
    { requiredKeys: [] },
  );
}

describe('session search under hostile input', () => {
  it('the schema never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), searchArb(), (value, search) => {
        expect(typeof sessionSearchSchema.safeParse(value).success).toBe('boolean');
        const parsed = sessionSearchSchema.safeParse({ merchantId: mine, ...range, ...search });
        expect(typeof parsed.success).toBe('boolean');
      }),
      { seed: 7201, numRuns: 400 },
    );
  });

  it('hostile filters and text are data: a page equals the brute force over this merchant only', async () => {
    let accepted = 0;
    let nonEmpty = 0;
    let withText = 0;
    await fc.assert(
      fc.asyncProperty(searchArb(), async (search) => {
        const input = { merchantId: mine, ...range, ...search } as SessionSearchInput;
        const parsed = sessionSearchSchema.safeParse(input);
        const outcome = await querySessionSearch(ch, input).then(
          (page) => ({ page }),
          (error: unknown) => ({ error }),
        );
        if (!parsed.success) {
          // Refused by the schema, before any SQL: a ZodError, never a ClickHouse error.
          expect('error' in outcome && outcome.error instanceof ZodError).toBe(true);
          return;
        }
        if ('error' in outcome) throw outcome.error;
        accepted++;
        const p = parsed.data;
        const all = bruteSessionSearch(data.events as PitchlineEvent[], input).filter(
          (r) =>
            !p.cursor ||
            r.startedAt < p.cursor.startedAt ||
            (r.startedAt === p.cursor.startedAt && r.sessionId < p.cursor.sessionId),
        );
        expect(outcome.page.sessions).toEqual(all.slice(0, p.limit));
        expect(outcome.page.nextCursor !== null).toBe(all.length > p.limit);
        if (all.length > 0) nonEmpty++;
        if (all.length > 0 && p.q) withText++;
      }),
      { seed: 7202, numRuns: RUNS },
    );
    console.log(
      `session search fuzz: ${accepted} of ${RUNS} searches accepted, ${nonEmpty} found sessions, ${withText} of them by text`,
    );
    // The comparison means something only if many searches were accepted and found sessions.
    expect(accepted).toBeGreaterThan(40);
    expect(nonEmpty).toBeGreaterThan(20);
    expect(withText).toBeGreaterThan(5);
    // Nothing a search carried was executed: the table holds what was inserted, no more, no less.
    expect(await countEvents()).toBe(eventsBefore);
    expect(eventsBefore).toBe(data.events.length);
  }, 120_000);
});
