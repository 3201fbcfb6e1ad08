import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load';
import { type Measurement, verdicts } from './report';

const load = (reqPerSec: number, p99Ms: number): LoadResult => ({
  requests: reqPerSec * 10,
  ok: reqPerSec * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  durationS: 10,
  reqPerSec,
  p50Ms: p99Ms / 3,
  p99Ms,
  maxMs: p99Ms * 2,
  statuses: { 200: reqPerSec * 10 },
});
const m = (target: Measurement['target'], reqPerSec: number, p99Ms: number): Measurement => ({
  target,
  load: load(reqPerSec, p99Ms),
  serverCores: 1,
  clientCores: 1,
  peakRssBytes: 1,
  rssBytes: 1,
});

describe('verdicts', () => {
  it('passes each target on its own threshold', () => {
    const list = verdicts([
      m('pitchline', 9000, 14),
      m('bare-hono', 14000, 5),
      m('express-adapter', 4600, 20),
    ]);
    expect(list.map((v) => [v.value, v.pass])).toEqual([
      ['9000', true],
      ['14.00', true],
      ['0.64', true],
      ['1.96', false],
    ]);
  });

  it('misses below the targets', () => {
    const list = verdicts([m('pitchline', 7999, 15.5), m('bare-hono', 14000, 5)]);
    expect(list.map((v) => v.pass)).toEqual([false, false, false]);
  });
});
