import { openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { tableDigests } from '@pitchline/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmazonFake, startAmazonFake } from './testing/amazon-fake';
import { TEST_REDIRECT_URI } from './testing/amazon-flow';
import { experimentDefinition } from './testing/fixtures';
import {
  A_ANALYST,
  A_OWNER,
  B_OWNER,
  type Client,
  expectStatus,
  type Harness,
  ORIGIN,
  openHarness,
} from './testing/harness';

/*
 * Random requests over the whole dashboard API (every route, as every kind of caller, with random
 * bodies, content types, query strings, path ids and headers) against real PGlite and chDB. Whatever
 * arrives, the answer is never a 5xx, and a refused request (4xx) leaves every Postgres table exactly
 * as it was (the failed-login counter, whose job is to record refused logins, excepted). Fixed seed and
 * run count, so a failure replays and the runtime stays bounded.
 */

const SEED = 14_2026;
/** When a key or session was last used is bookkeeping of the credential, not something a request asked for. */
const BOOKKEEPING = { api_keys: ['last_used_at'], member_sessions: ['last_seen_at', 'expires_at'] };
const RUNS = 300;

type Route = { method: string; path: string; body: 'none' | 'json' };
const ROUTES: Route[] = [
  { method: 'GET', path: '/status', body: 'none' },
  { method: 'POST', path: '/auth/login', body: 'json' },
  { method: 'GET', path: '/auth/me', body: 'none' },
  { method: 'POST', path: '/auth/logout', body: 'none' },
  { method: 'GET', path: '/members', body: 'none' },
  { method: 'GET', path: '/api-keys', body: 'none' },
  { method: 'POST', path: '/api-keys', body: 'json' },
  { method: 'DELETE', path: '/api-keys/:id', body: 'none' },
  { method: 'GET', path: '/experiments', body: 'none' },
  { method: 'POST', path: '/experiments', body: 'json' },
  { method: 'GET', path: '/experiments/:id', body: 'none' },
  { method: 'PATCH', path: '/experiments/:id', body: 'json' },
  { method: 'POST', path: '/experiments/:id/start', body: 'none' },
  { method: 'POST', path: '/experiments/:id/stop', body: 'none' },
  { method: 'POST', path: '/experiments/:id/conclude', body: 'json' },
  { method: 'GET', path: '/experiments/:id/history', body: 'none' },
  { method: 'GET', path: '/experiments/:id/results', body: 'none' },
  { method: 'GET', path: '/analytics/overview', body: 'none' },
  { method: 'POST', path: '/analytics/funnel', body: 'json' },
  { method: 'POST', path: '/analytics/funnel/dropoffs', body: 'json' },
  { method: 'GET', path: '/analytics/revenue', body: 'none' },
  { method: 'GET', path: '/analytics/insights', body: 'none' },
  { method: 'GET', path: '/analytics/sessions', body: 'none' },
  { method: 'GET', path: '/analytics/sessions/:id/transcript', body: 'none' },
  { method: 'GET', path: '/settings', body: 'none' },
  { method: 'POST', path: '/settings/skills', body: 'json' },
  { method: 'DELETE', path: '/settings/skills/:id', body: 'none' },
  { method: 'PUT', path: '/settings/payment-mode', body: 'json' },
  { method: 'GET', path: '/amazon', body: 'none' },
  { method: 'GET', path: '/amazon/connect', body: 'none' },
  { method: 'GET', path: '/amazon/callback', body: 'none' },
  { method: 'GET', path: '/amazon/skills', body: 'none' },
  { method: 'POST', path: '/skill-package', body: 'json' },
  { method: 'GET', path: '/setup-checklist', body: 'none' },
  { method: 'GET', path: '/alerts/rules', body: 'none' },
  { method: 'POST', path: '/alerts/rules', body: 'json' },
  { method: 'PATCH', path: '/alerts/rules/:id', body: 'json' },
  { method: 'DELETE', path: '/alerts/rules/:id', body: 'none' },
  { method: 'POST', path: '/alerts/rules/:id/test', body: 'none' },
  { method: 'GET', path: '/alerts/deliveries', body: 'none' },
];

let ch: TestClickHouse;
let amazon: AmazonFake;
let h: Harness;
let experimentId: string;
let apiKey: string;
const sessions: Record<'owner' | 'analyst' | 'otherOwner', Client | undefined> = {
  owner: undefined,
  analyst: undefined,
  otherOwner: undefined,
};
const ACCOUNTS = { owner: A_OWNER, analyst: A_ANALYST, otherOwner: B_OWNER };

beforeAll(async () => {
  ch = await openTestClickHouse();
  // Login with Amazon configured (a local fake), so the Amazon routes are fuzzed past "not configured".
  amazon = await startAmazonFake();
  h = await openHarness({ ch, amazon: amazon.config(TEST_REDIRECT_URI) });
  for (const name of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
    sessions[name] = await h.login(ACCOUNTS[name].email, ACCOUNTS[name].password);
  }
  const owner = sessions.owner as Client;
  const created = await owner.api.experiments.$post({ json: experimentDefinition('fuzz-target') });
  expectStatus(created, 201);
  experimentId = (await created.json()).experiment.id;
  const key = await owner.api['api-keys'].$post({
    json: { name: 'fuzz', scopes: ['analytics:read', 'transcripts:read'], expiresInDays: 30 },
  });
  expectStatus(key, 201);
  apiKey = (await key.json()).apiKey.key;
}, 120_000);
afterAll(async () => {
  await h?.close();
  await ch?.dispose();
  await amazon?.close();
});

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
const anyText = fc.oneof(
  printable,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
/** Values the routes' parsers have reasons to choke on. */
const hostile = fc.constantFrom(
  '',
  ' ',
  '0000-00-00',
  '1970-13-01',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  '2026-11-01',
  '2026-11-01T00:00:00Z',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  'null',
  '%',
  '%zz',
  '%00',
  '../..',
  'Europe/Berlin',
  'Not/AZone',
  '00000000-0000-0000-0000-000000000000',
  "'; drop table members; --",
  '{{product}}',
  '<speak>',
);
const value = fc.oneof(hostile, anyText, fc.integer().map(String));

const QUERY_KEYS = [
  'from',
  'to',
  'tz',
  'limit',
  'q',
  'outcome',
  'variant',
  'device',
  'cursor',
  'intent',
  'by',
];
const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), printable), value), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''));

const pathId = fc.oneof(
  fc.constant('EXPERIMENT'),
  fc.uuid(),
  hostile.map(encodeURIComponent),
  anyText.map(encodeURIComponent),
);

const BODY_KEYS = [
  'email',
  'password',
  'name',
  'key',
  'id',
  'mode',
  'steps',
  'variants',
  'from',
  'to',
  'tz',
  'funnel',
  'step',
  'shippedVariantKey',
  'scope',
  'primaryMetric',
];
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.constantFrom(...BODY_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), value))
    .map((v) => JSON.stringify(v)),
  // A valid experiment with one field replaced: the closest a body gets to passing.
  fc
    .tuple(fc.constantFrom(...BODY_KEYS), fc.jsonValue({ maxDepth: 2 }))
    .map(([field, v]) => JSON.stringify({ ...experimentDefinition('fuzz-x'), [field]: v })),
  fc.constantFrom('{"email":', '{', '[', '"', 'nul', '{"steps": [', '\u0000', ''),
  // Over the limits: the login's and every other route's.
  fc.constantFrom(20 * 1024, 600 * 1024).map((bytes) => `{"email":"${'x'.repeat(bytes)}"}`),
  anyText,
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  undefined,
);

type CallerKind = 'anonymous' | 'owner' | 'analyst' | 'otherOwner' | 'apiKey' | 'forged';
// Weighted towards callers who get past authentication, so most runs reach the routes' own checks.
const caller = fc.constantFrom<CallerKind>(
  'owner',
  'owner',
  'owner',
  'analyst',
  'otherOwner',
  'apiKey',
  'apiKey',
  'anonymous',
  'forged',
);

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), { freq: 5 }),
  id: pathId,
  query: queryString,
  body: fc.option(jsonBody, { freq: 6 }),
  contentType,
  caller,
  origin: fc.constantFrom<string | undefined>(
    ORIGIN,
    ORIGIN,
    ORIGIN,
    ORIGIN,
    'http://evil.test',
    'null',
    undefined,
  ),
  csrf: fc.constantFrom('own', 'own', 'own', 'own', 'forged', 'missing'),
  extraHeaders: fc.dictionary(
    fc.constantFrom(
      'accept',
      'x-forwarded-for',
      'x-test-ip',
      'accept-language',
      'user-agent',
      'x-requested-with',
    ),
    printable,
    { maxKeys: 3 },
  ),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function headersFor(r: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = { ...r.extraHeaders };
  if (r.origin) headers.origin = r.origin;
  if (r.contentType) headers['content-type'] = r.contentType;
  const session =
    r.caller === 'owner' || r.caller === 'analyst' || r.caller === 'otherOwner'
      ? sessions[r.caller]
      : undefined;
  if (session?.cookie) headers.cookie = session.cookie;
  if (r.caller === 'apiKey') headers.authorization = `Bearer ${apiKey}`;
  if (r.caller === 'forged') {
    headers.cookie = 'pitchline_session=forged%zz; other=%E0%A4%A';
    headers.authorization = 'Bearer pk_live_forged';
  }
  if (r.csrf === 'own' && session?.csrf) headers['x-csrf-token'] = session.csrf;
  if (r.csrf === 'forged') headers['x-csrf-token'] = 'forged';
  return headers;
}

describe('the /api surface under random input', () => {
  it('never answers 5xx, and a refused request changes no table', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const method = r.method ?? r.route.method;
        const id = r.id === 'EXPERIMENT' ? experimentId : r.id;
        const path = `${r.route.path.replace(':id', id)}${r.query}`;
        const canHaveBody = method !== 'GET' && method !== 'HEAD';
        const body = canHaveBody && r.body !== null ? r.body : undefined;
        const before = await tableDigests(h.database.db, BOOKKEEPING);
        const res = await h.app.request(`${ORIGIN}${path}`, {
          method,
          headers: headersFor(r),
          ...(body !== undefined ? { body } : {}),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${method} ${path} → ${text}`).toBeLessThan(500);
        if (res.status >= 400) {
          const after = await tableDigests(h.database.db, BOOKKEEPING);
          // A refused login is recorded by design (that is what rate-limits guessing); nothing else.
          const refusedLogin = r.route.path === '/auth/login' && res.status === 401;
          if (refusedLogin) {
            after.login_attempts = before.login_attempts ?? '';
          }
          expect(after, `${method} ${path} → ${res.status} changed a table`).toEqual(before);
        }
        // A logout the fuzzer happened to send ends that caller's session: sign in again.
        if (res.status === 204 && r.route.path === '/auth/logout') {
          for (const name of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
            const session = sessions[name];
            if (
              session &&
              (await h.app.request(`${ORIGIN}/auth/me`, { headers: { cookie: session.cookie ?? '' } }))
                .status === 401
            ) {
              sessions[name] = await h.login(ACCOUNTS[name].email, ACCOUNTS[name].password);
            }
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The run reached past the front door: refusals of every kind and answers that passed them.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 413]));
  }, 60_000);
});
