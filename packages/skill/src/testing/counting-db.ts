import type { PitchlineDb } from '@pitchline/db';

/**
 * The same database, counting the SELECTs sent through it, so cache tests can tell "served from memory"
 * from "asked again".
 */
export function countingDb(database: PitchlineDb): { db: PitchlineDb; queries: () => number } {
  let queries = 0;
  const db = new Proxy(database, {
    get(target, prop, receiver) {
      if (prop === 'select') queries++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { db, queries: () => queries };
}
