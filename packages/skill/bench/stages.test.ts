import { describe, expect, it } from 'vitest';
import { formatStages, splitByStage } from './stages';

const frame = (functionName: string, url: string) => ({ functionName, url });
const W = 'file:///work/main';

describe('splitByStage', () => {
  it('gives each busy sample to the innermost frame a stage claims', () => {
    // root → hono dispatch → verifier → node:crypto verify
    //                      → ask-sdk-core → dialog handler → pglite query
    //                      → event writer → chdb insert
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 9, 10] },
        {
          id: 2,
          callFrame: frame('dispatch', `${W}/node_modules/hono/dist/hono-base.js`),
          children: [3, 5, 7],
        },
        {
          id: 3,
          callFrame: frame('verify', `${W}/packages/skill/src/verification/verifier.ts`),
          children: [4],
        },
        { id: 4, callFrame: frame('verify', 'node:internal/crypto/sig') },
        { id: 5, callFrame: frame('invoke', `${W}/node_modules/ask-sdk-core/dist/skill.js`), children: [6] },
        {
          id: 6,
          callFrame: frame('handle', `${W}/packages/skill/src/dialog/handlers/launch.ts`),
          children: [8],
        },
        { id: 8, callFrame: frame('query', `${W}/node_modules/@electric-sql/pglite/dist/a.js`) },
        { id: 7, callFrame: frame('record', `${W}/packages/analytics/src/event-writer.ts`), children: [11] },
        { id: 11, callFrame: frame('insert', `${W}/node_modules/chdb/index.js`) },
        { id: 9, callFrame: frame('(idle)', '') },
        { id: 10, callFrame: frame('(garbage collector)', '') },
      ],
      samples: [4, 4, 8, 8, 8, 5, 11, 7, 9, 9, 9, 10],
      timeDeltas: Array.from({ length: 12 }, () => 1000),
    };
    const split = splitByStage(profile);
    expect(split.busyMs).toBe(9);
    const shares = Object.fromEntries(split.shares.map((s) => [s.stage, s.share]));
    expect(shares).toEqual({
      'signature verification': 2 / 9,
      dialog: 3 / 9,
      'HTTP + SDK': 1 / 9,
      'chDB ingest': 1 / 9,
      'recording + WAL': 1 / 9,
      'garbage collection': 1 / 9,
    });
  });

  it('prints each stage with its CPU per request, and the rest of the process on other threads', () => {
    // 300 ms busy on the main thread over 1000 requests; the process used 0.4 ms per request.
    const text = formatStages(
      {
        busyMs: 300,
        shares: [
          { stage: 'dialog', share: 0.5 },
          { stage: 'HTTP + SDK', share: 0.5 },
        ],
      },
      1000,
      0.4,
    );
    expect(text).toMatch(/dialog\s+37\.5%\s+0\.150 ms\/req/);
    expect(text).toMatch(/other threads \(fs, chDB, V8\)\s+25\.0%\s+0\.100 ms\/req/);
  });
});
