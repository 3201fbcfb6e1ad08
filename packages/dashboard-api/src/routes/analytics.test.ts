import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A_ANALYST,
  type Client,
  expectStatus,
  type Harness,
  malformed,
  ORIGIN,
  openHarness,
} from '../testing/harness';

/*
 * The analytics routes' input checks, with no analytics store behind them: input is judged before any
 * store is asked (a bad parameter is a 400 with the issues, a good one reaches the missing store, 503),
 * and every refusal has the one 400 body the SPA shows beside the field at fault.
 */

let h: Harness;
let analyst: Client;
beforeAll(async () => {
  h = await openHarness();
  analyst = await h.login(A_ANALYST.email, A_ANALYST.password);
}, 60_000);
afterAll(async () => h?.close());

const paths = (issues: { path: (string | number | null)[] }[]) => issues.map((i) => i.path.join('.')).sort();

const steps = [{ type: 'session_start' }, { type: 'order_confirmed' }];

describe('analytics input', () => {
  it('is judged before the store is asked: 400 with every field at fault, else 503', async () => {
    const bad = await analyst.api.analytics.overview.$get({ query: { from: 'yesterday', tz: 'Mars/Base' } });
    expectStatus(bad, 400);
    const body = await bad.json();
    expect(body.error).toBe('invalid_request');
    expect(paths(body.issues)).toEqual(['from', 'tz']);

    const good = await analyst.api.analytics.overview.$get({
      query: { from: '2026-10-01', to: '2026-10-31' },
    });
    expectStatus(good, 503);
    expect(await good.json()).toEqual({ error: 'analytics_unavailable' });
    const funnel = await analyst.api.analytics.funnel.$post({ json: { steps } });
    expect(funnel.status).toBe(503);
  });

  it('takes strict calendar dates of 2000–2099, from ≤ to, at most three years: else 400 naming the parameter', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ from: '0000-00-00', to: '2026-10-31' }, 'from', 'from: the year must be between 2000 and 2099'],
      [{ from: '1970-13-01', to: '2026-10-31' }, 'from', 'from: the year must be between 2000 and 2099'],
      [{ from: '2025-02-01', to: '2025-02-30' }, 'to', 'to: not a real calendar date'],
      [{ from: '2026-10-31', to: '2026-10-01' }, 'to', 'to: is before from'],
      [{ from: '2020-01-01', to: '2026-10-01' }, 'to', 'to: ranges are at most three years'],
    ];
    for (const [query, path, message] of cases) {
      for (const res of [
        await analyst.api.analytics.overview.$get({ query }),
        await analyst.api.analytics.revenue.$get({ query }),
        await analyst.api.analytics.insights.$get({ query }),
        await analyst.api.analytics.sessions.$get({ query }),
        await analyst.api.analytics.funnel.$post({ json: { ...query, steps } }),
      ]) {
        // 400, not the missing store's 503: refused before any store is asked.
        expectStatus(res, 400, JSON.stringify(query));
        const body = (await res.json()) as { issues: { path: (string | number)[]; message: string }[] };
        expect(body.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, message]]);
      }
    }
  });

  it('checks query-string numbers as numbers, and the funnel body field by field', async () => {
    const limit = await analyst.api.analytics.insights.$get({ query: { limit: 'lots' } });
    expectStatus(limit, 400);
    expect(paths((await limit.json()).issues)).toEqual(['limit']);

    const tz = await analyst.api.analytics.funnel.$post({ json: { steps, tz: 'Mars/Base' } });
    expectStatus(tz, 400);
    expect(paths((await tz.json()).issues)).toEqual(['tz']);

    // A drill-down's funnel is checked where it sits in the body.
    const drill = await analyst.api.analytics.funnel.dropoffs.$post({
      json: { funnel: { steps: [{ type: 'session_start' }] }, droppedAfterStep: 1 },
    });
    expectStatus(drill, 400);
    expect(paths((await drill.json()).issues)).toEqual(['funnel.steps']);
  });

  it('answers a body that is not JSON, or not an object, with the same 400', async () => {
    const garbled = await h.app.request(`${ORIGIN}/analytics/funnel`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: analyst.cookie ?? '', 'content-type': 'application/json' },
      body: '{"steps": [',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toEqual({
      error: 'invalid_request',
      issues: [{ code: 'custom', path: [], message: 'the body is not valid JSON' }],
    });
    // Not a body the typed client would write.
    const list = await analyst.api.analytics.funnel.$post({ json: malformed(steps) });
    expectStatus(list, 400);
    expect(paths((await list.json()).issues)).toEqual(['']);
  });
});
