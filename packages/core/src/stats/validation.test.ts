import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/*
 * Bad input must never read as significance: every exported stats function refuses a NaN, a negative
 * count or variance, an out-of-range probability or level with a RangeError naming the argument. One
 * table row per exported function (a test below fails when a new export has no row), each with a valid
 * call and the arguments to break; fast-check draws the bad values.
 */

import { type Args, badValue, EXPORTS, type Row } from './testing/invalid-input';
import { DISTRIBUTION_ROWS } from './testing/invalid-rows-distributions';
import { ESTIMATOR_ROWS } from './testing/invalid-rows-estimators';

const ROWS: Record<string, Row> = { ...DISTRIBUTION_ROWS, ...ESTIMATOR_ROWS };

/** A deep copy of `args` with the value at `path` replaced. */
function withValue(args: Args, path: string, value: unknown): Args {
  const copy = structuredCloneKeepingFunctions(args) as Args;
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[keys.at(-1) as string] = value;
  return copy;
}

function structuredCloneKeepingFunctions(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(structuredCloneKeepingFunctions);
  if (x !== null && typeof x === 'object') {
    // A generator keeps its state in a closure: replace it by a fresh one with the same methods.
    if ('next' in x && typeof (x as { next: unknown }).next === 'function') return { ...x };
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, structuredCloneKeepingFunctions(v)]));
  }
  return x;
}

/** "arms.0.successes" → "arms[0].successes", the way messages name an element. */
const argName = (path: string) => path.replace(/\.(\d+)/g, '[$1]');

describe('every exported stats function refuses bad input with a RangeError naming the argument', () => {
  it('has a row for every exported function', () => {
    const exported = Object.entries(EXPORTS)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(exported).toEqual(Object.keys(ROWS).sort());
  });

  for (const [name, row] of Object.entries(ROWS)) {
    it(name, () => {
      // The valid call works, so a throw below is about the broken argument.
      expect(() => row.run(row.valid())).not.toThrow();
      for (const [path, kinds] of row.bad) {
        const values = fc.oneof(...kinds.map((k) => badValue[k]));
        fc.assert(
          fc.property(values, (v) => {
            let thrown: unknown;
            try {
              row.run(withValue(row.valid(), path, v));
            } catch (e) {
              thrown = e;
            }
            expect(thrown, `${name}(${argName(path)} = ${v})`).toBeInstanceOf(RangeError);
            expect((thrown as Error).message).toContain(argName(path));
          }),
          { numRuns: 15 },
        );
      }
    });
  }
});
