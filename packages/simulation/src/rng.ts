import { createHash } from 'node:crypto';

/**
 * A seeded random stream (sfc32). Every random choice of a run comes from streams derived from the
 * config's seed and a label ("shopper 17", "day 3 session 40"), never from Math.random: the same
 * config gives the same shoppers, the same sessions and the same decisions, whatever order the
 * concurrent sessions happen to finish in.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  chance(p: number): boolean;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** Exponential with the given mean (e.g. seconds of thinking between two turns). */
  exponential(mean: number): number;
}

export function createRng(seed: string | number, ...labels: (string | number)[]): Rng {
  const digest = createHash('sha256')
    .update([seed, ...labels].join('\u0000'))
    .digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
      if (total <= 0) throw new Error('weights sum to zero');
      let x = next() * total;
      for (const [key, w] of entries) {
        x -= Math.max(0, w);
        if (x < 0) return key;
      }
      return (entries[entries.length - 1] as [keyof typeof weights, number])[0];
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
  };
  return rng;
}
