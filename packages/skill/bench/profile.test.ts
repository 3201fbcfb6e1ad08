import { describe, expect, it } from 'vitest';
import { areaOf, summarizeProfile } from './profile';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('summarizeProfile', () => {
  it('splits sampled time into self and inclusive time', () => {
    // root → handler (ours) → query (pglite); root → (idle)
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
        { id: 2, callFrame: frame('handler', 'file:///work/main/apps/skill/src/dialog/x.ts'), children: [3] },
        { id: 3, callFrame: frame('query', 'file:///work/main/node_modules/@electric-sql/pglite/dist/a.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 2, 4],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const summary = summarizeProfile(profile);
    expect(summary.totalMs).toBe(4);
    expect(summary.busyMs).toBe(3);
    expect(summary.selfByArea).toEqual([
      { name: '@electric-sql/pglite', ms: 2, share: 2 / 3 },
      { name: 'apps/skill/src/dialog', ms: 1, share: 1 / 3 },
    ]);
    const handler = summary.inclusiveByFunction.find((l) => l.name.startsWith('handler '));
    expect(handler?.ms).toBe(3);
  });

  it('names where code lives', () => {
    expect(areaOf('file:///w/node_modules/zod/v4/core/schemas.js', 'parse')).toBe('zod');
    expect(areaOf('file:///w/packages/core/src/money.ts', 'formatMoney')).toBe('packages/core/src');
    expect(areaOf('node:internal/http', 'emit')).toBe('node:*');
    expect(areaOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});
