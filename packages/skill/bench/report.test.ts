import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load';
import { type Measurement, type OpenLoopRun, verdicts } from './report';

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

const run = (fraction: number, p99Ms: number): OpenLoopRun => ({
  fraction,
  result: {
    offeredPerSec: 1000,
    achievedPerSec: 1000,
    sent: 10_000,
    ok: 10_000,
    failed: 0,
    p50Ms: 1,
    p99Ms,
    p999Ms: p99Ms * 2,
    maxMs: p99Ms * 3,
    lateStarts: 0,
    latenciesMs: new Float64Array(),
  },
  cpuMsPerReq: 0.2,
  profile: undefined,
});

describe('verdicts', () => {
  it("passes each of issue 17's targets on its own threshold", () => {
    const list = verdicts(
      [
        { ...m('pitchline', 6000, 14), serverCores: 0.9, peakRssBytes: 500 * 1024 * 1024 },
        m('bare-hono', 14000, 5),
        m('express-verified', 1100, 20),
      ],
      [run(0.25, 3), run(0.5, 9.5)],
    );
    expect(list.map((v) => [v.value, v.pass])).toEqual([
      ['0.150', true],
      ['500', true],
      ['5.45', true],
      ['0.43', true],
      ['9.50', true],
    ]);
  });

  it('misses above or below them', () => {
    const list = verdicts(
      [
        { ...m('pitchline', 3700, 21), serverCores: 1.15, peakRssBytes: 838 * 1024 * 1024 },
        m('bare-hono', 16000, 5),
        m('express-verified', 1100, 20),
      ],
      [run(0.5, 12)],
    );
    expect(list.map((v) => v.pass)).toEqual([false, false, false, false, false]);
  });
});
